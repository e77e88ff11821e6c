import { resolve } from 'node:path';
import type { AgentTool } from '../conversations/agent-tool';
import { readImageDataUrl } from '../files/image-file';
import { DEFAULT_MAX_IMAGE_BYTES, FileRefusedError } from '../files/read-regular-file';

/** `view_image`: attaches a local image to the conversation, for the next model request of the turn. */
export const viewImageTool: AgentTool = {
  name: 'view_image',
  order: 30,
  spec: () => ({
    name: 'view_image',
    description: 'Attaches an image file from the local filesystem to the conversation so you can look at it.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Path of the image file on the local filesystem' } },
      required: ['path'],
      additionalProperties: false,
    },
  }),
  async handle(call, ctx) {
    let path: unknown;
    try {
      path = (JSON.parse(call.arguments) as { path?: unknown }).path;
    } catch (err) {
      return `failed to parse function arguments: ${(err as Error).message}`;
    }
    if (typeof path !== 'string' || path === '') return 'failed to parse function arguments: path must be a string';
    const abs = resolve(ctx.settings.cwd, path);
    let url: string;
    try {
      // The model picks the path: a FIFO or a device is refused, never waited on, and an
      // interrupt stops the read (the turn's signal).
      url = await readImageDataUrl(abs, 'application/octet-stream', { maxBytes: ctx.settings.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES, signal: ctx.signal });
    } catch (err) {
      if (err instanceof FileRefusedError) return `unable to read image at ${abs}: ${err.message}`;
      throw err;
    }
    ctx.addInput([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_image', image_url: url }] }]);
    return `attached local image path: ${abs}`;
  },
};

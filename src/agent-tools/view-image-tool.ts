import { readFile } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { AgentTool } from '../conversations/agent-tool';

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

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
    let bytes: Buffer;
    try {
      bytes = await new Promise<Buffer>((resolve, reject) => readFile(abs, (err, data) => (err ? reject(err) : resolve(data))));
    } catch (err) {
      return `unable to read image at ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    }
    const url = `data:${MIME[extname(abs).toLowerCase()] ?? 'application/octet-stream'};base64,${bytes.toString('base64')}`;
    ctx.addInput([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_image', image_url: url }] }]);
    return `attached local image path: ${abs}`;
  },
};

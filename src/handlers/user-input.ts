import { injectable } from 'tsyringe';
import { DEFAULT_MAX_IMAGE_BYTES } from '../files/read-regular-file';
import type { Conversation } from '../conversations/conversation';
import { LocalImageRefusedError, toContent } from '../conversations/input-content';
import { hasLocalImage, inputItemProblems } from '../protocol/input-items';
import type { ResponseItem } from '../protocol/items';
import { InvalidParamsError } from '../router/errors';
import type { RequestContext } from '../router/handler';
import type { SendUserMessageParams } from '../protocol/codex-params';

/**
 * The user message item of a list of input items; none for an empty list. Local images are read
 * here, so a path that is missing, special (FIFO, device) or over `max_image_bytes` fails the
 * request with -32602 and nothing is queued: the user learns at once, rather than the model
 * answering about an image it never got (0.29 dropped such an image with only a log line).
 */
export async function userInput(params: SendUserMessageParams, conversation: Conversation, ctx: { readonly signal: AbortSignal }): Promise<ResponseItem[]> {
  checkItems(params);
  // The request's signal only when a file is read: asking for it makes the router an
  // AbortController, and in Node 20 every AbortSignal outlives two scavenges and lands in the old
  // generation (measured: ~380 bytes each), one per message otherwise.
  const signal = hasLocalImage(params.items) ? ctx.signal : undefined;
  let content;
  try {
    content = await toContent(params.items, { maxBytes: conversation.settings.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES, signal });
  } catch (err) {
    if (err instanceof LocalImageRefusedError) throw new InvalidParamsError(`Invalid params: ${err.message}`, [err.message]);
    throw err;
  }
  return content.length === 0 ? [] : [{ type: 'message', id: null, role: 'user', content }];
}

/** Each item has the member its tag needs; checked before the conversation is looked up. */
export function checkItems(params: SendUserMessageParams): void {
  const problems = inputItemProblems(params.items);
  if (problems.length > 0) throw new InvalidParamsError(`Invalid params: ${problems.join('; ')}`, problems);
}

/**
 * The order of user input per conversation (sendUserMessage, sendUserTurn): one per process, its
 * lifetime chosen in the container.
 */
@injectable()
export class UserInputOrder {
  /** Per conversation, the submission whose images are still being read. */
  private readonly inFlight = new WeakMap<Conversation, Promise<unknown>>();

  /**
   * Reads the input and submits it, in the order the requests came: a message sent right after one
   * with a large image waits for it rather than overtaking it. Input without local images and with
   * nothing ahead of it reads no file and is submitted without waiting for any I/O.
   */
  async submitInOrder(params: SendUserMessageParams, conversation: Conversation, ctx: RequestContext, submit: (input: ResponseItem[]) => void): Promise<Record<string, never>> {
    const ahead = this.inFlight.get(conversation);
    if (ahead === undefined && !hasLocalImage(params.items)) {
      submit(await userInput(params, conversation, ctx));
      return {};
    }
    const mine = (async () => {
      const input = userInput(params, conversation, ctx);
      await ahead?.catch(() => undefined);
      submit(await input);
    })();
    const settled = mine.catch(() => undefined);
    this.inFlight.set(conversation, settled);
    void settled.then(() => {
      if (this.inFlight.get(conversation) === settled) this.inFlight.delete(conversation);
    });
    await mine;
    return {};
  }
}

import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';

/** `ping` → `{}`; any params, even an array, are ignored (WIRE.md §3.3). */
@Method('ping')
export class PingHandler implements Handler<unknown, Record<string, never>> {
  handle() {
    return {};
  }
}

import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `ping` → `{}`; any params, even an array, are ignored (WIRE.md §3.3). */
@Method(IncomingRequest.ping)
export class PingHandler implements Handler<unknown, Record<string, never>> {
  handle() {
    return {};
  }
}

import { LoginSessions } from '../auth/login-sessions';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { CancelLoginChatGptParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/** `cancelLoginChatGpt` (WIRE.md §5.9): `{}`, then `login_chat_gpt_complete` with `success: false`. */
@Method(IncomingRequest.cancelLoginChatGpt)
export class CancelLoginChatGptHandler implements Handler<CancelLoginChatGptParams> {
  constructor(private readonly logins: LoginSessions) {}

  handle(params: CancelLoginChatGptParams) {
    this.logins.cancel(params.loginId);
    return {};
  }
}

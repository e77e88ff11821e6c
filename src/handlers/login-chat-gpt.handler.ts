import { LoginSessions } from '../auth/login-sessions';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `loginChatGpt` (WIRE.md §5.8): starts the browser login and answers `{loginId, authUrl}` at once. Params are ignored. */
@Method(IncomingRequest.loginChatGpt)
export class LoginChatGptHandler implements Handler {
  constructor(private readonly logins: LoginSessions) {}

  handle() {
    return this.logins.start();
  }
}

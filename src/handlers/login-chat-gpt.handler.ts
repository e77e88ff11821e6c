import { LoginSessions } from '../auth/login-sessions';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';

/** `loginChatGpt` (WIRE.md §5.8): starts the browser login and answers `{loginId, authUrl}` at once. Params are ignored. */
@Method('loginChatGpt')
export class LoginChatGptHandler implements Handler {
  constructor(private readonly logins: LoginSessions) {}

  handle() {
    return this.logins.start();
  }
}

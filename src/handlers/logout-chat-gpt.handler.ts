import { AuthManager } from '../auth/auth-manager';
import { LoginSessions } from '../auth/login-sessions';
import { InternalError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/**
 * `logoutChatGpt` (WIRE.md §5.10): deletes auth.json whatever it holds, answers `{}`, then sends
 * `auth_status_change`. Params are ignored.
 */
@Method(IncomingRequest.logoutChatGpt)
export class LogoutChatGptHandler implements Handler {
  constructor(
    private readonly auth: AuthManager,
    private readonly logins: LoginSessions,
  ) {}

  async handle() {
    try {
      await this.auth.logout();
    } catch (err) {
      throw new InternalError(`logout failed: ${(err as Error).message}`);
    }
    this.logins.announceStatus();
    return {};
  }
}

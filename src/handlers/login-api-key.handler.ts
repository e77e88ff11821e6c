import { AuthManager } from '../auth/auth-manager';
import { LoginSessions } from '../auth/login-sessions';
import { InternalError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { LoginApiKeyParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `loginApiKey` (WIRE.md §5.14, later codex versions; 0.29 does not have it): stores the key as
 * the login, answers `{}`, then sends `auth_status_change` `{"authMethod":"apikey"}`.
 */
@Method(IncomingRequest.loginApiKey)
export class LoginApiKeyHandler implements Handler<LoginApiKeyParams> {
  constructor(
    private readonly auth: AuthManager,
    private readonly logins: LoginSessions,
  ) {}

  async handle(params: LoginApiKeyParams) {
    try {
      await this.auth.loginWithApiKey(params.apiKey.trim());
    } catch (err) {
      throw new InternalError(`failed to save api key: ${(err as Error).message}`);
    }
    this.logins.announceStatus();
    return {};
  }
}

import { AuthManager } from '../auth/auth-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { GetAuthStatusParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `getAuthStatus` (WIRE.md §5.7): the login this process really uses; the token only when asked
 * for; a forced refresh first when asked for. A failed refresh is `authError`, never an error reply.
 */
@Method(IncomingRequest.getAuthStatus)
export class GetAuthStatusHandler implements Handler<GetAuthStatusParams> {
  constructor(private readonly auth: AuthManager) {}

  handle(params: GetAuthStatusParams) {
    return this.auth.status({ includeToken: params.includeToken, refreshToken: params.refreshToken });
  }
}

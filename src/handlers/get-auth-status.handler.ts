import { AuthManager } from '../auth/auth-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { GetAuthStatusParams } from './get-auth-status.params';

/** `getAuthStatus`: the login this process really uses; the token only when asked for. */
@Method('getAuthStatus', { params: GetAuthStatusParams, paramsRequired: true })
export class GetAuthStatusHandler implements Handler<GetAuthStatusParams> {
  constructor(private readonly auth: AuthManager) {}

  handle(params: GetAuthStatusParams) {
    return this.auth.status({ includeToken: params.includeToken, refreshToken: params.refreshToken });
  }
}

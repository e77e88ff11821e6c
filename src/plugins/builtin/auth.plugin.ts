import { CancelLoginChatGptHandler } from '../../handlers/cancel-login-chat-gpt.handler';
import { GetAuthStatusHandler } from '../../handlers/get-auth-status.handler';
import { LoginApiKeyHandler } from '../../handlers/login-api-key.handler';
import { LoginChatGptHandler } from '../../handlers/login-chat-gpt.handler';
import { LogoutChatGptHandler } from '../../handlers/logout-chat-gpt.handler';
import type { AgentwirePlugin } from '../plugin';

/**
 * The login methods, all backed by the one AuthManager, and the browser login they share (the
 * LoginSessions singleton, which the server closes at shutdown).
 */
export const authPlugin: AgentwirePlugin = {
  name: 'agentwire:auth',
  register(ctx) {
    for (const handler of [GetAuthStatusHandler, LoginChatGptHandler, CancelLoginChatGptHandler, LogoutChatGptHandler, LoginApiKeyHandler]) {
      ctx.handler(handler);
    }
  },
};

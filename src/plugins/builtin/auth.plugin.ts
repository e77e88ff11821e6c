import { GetAuthStatusHandler } from '../../handlers/get-auth-status.handler';
import type { AgentwirePlugin } from '../plugin';

/** The login methods, all backed by the one AuthManager. */
export const authPlugin: AgentwirePlugin = {
  name: 'agentwire:auth',
  register(ctx) {
    ctx.handler(GetAuthStatusHandler);
  },
};

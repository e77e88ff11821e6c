import { ClientSession } from '../mcp/client-session';
import type { Handler } from '../router/handler';
import { Notification } from '../router/method.decorator';
import { IncomingNotification } from '../protocol/methods';

/**
 * `notifications/initialized`: the client finished the handshake. Requests are served before it
 * too (as 0.29 does); only the server's own notifications wait for it (ClientChannel.initialized).
 */
@Notification(IncomingNotification.initialized)
export class NotificationsInitializedHandler implements Handler {
  constructor(private readonly session: ClientSession) {}

  handle(): void {
    this.session.markInitialized();
  }
}

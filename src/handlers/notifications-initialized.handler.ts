import { ClientSession } from '../mcp/client-session';
import type { Handler } from '../router/handler';
import { Notification } from '../router/method.decorator';
import { IncomingNotification } from '../protocol/methods';

/** `notifications/initialized`: the client finished the handshake. */
@Notification(IncomingNotification.initialized)
export class NotificationsInitializedHandler implements Handler {
  constructor(private readonly session: ClientSession) {}

  handle(): void {
    this.session.markInitialized();
  }
}

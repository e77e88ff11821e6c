import type { Handler } from '../router/handler';
import { Notification } from '../router/method.decorator';

/**
 * `notifications/initialized`: the client finished the handshake. Nothing depends on it (0.29
 * serves requests before it too), so it is accepted and ignored rather than answered with an error.
 */
@Notification('notifications/initialized')
export class NotificationsInitializedHandler implements Handler {
  handle(): void {}
}

import { inject, injectable } from 'tsyringe';
import { AgentwireConfig } from '../config/config';
import { LOGGER, type Logger } from '../logging/logger';
import { InternalError, InvalidRequestError } from '../router/errors';
import { OutgoingRequests } from '../router/outgoing-requests';
import { AuthManager } from './auth-manager';
import type { ChatGptLogin, LoginOutcome } from './chatgpt-login';
import type { AuthStatusChangeParams, LoginChatGptCompleteParams } from '../protocol/events';
import { OutgoingNotification } from '../protocol/methods';

/**
 * The protocol side of logging in and out: the one ChatGPT browser login a server runs at a
 * time, and the auth notifications of WIRE.md §6.3, which agentwire always sends (0.29 was
 * seen sending only some). Provided as a singleton by the auth plugin.
 */
@injectable()
export class LoginSessions {
  private active?: ChatGptLogin;
  /** A finished login whose server may still be up for its success page. */
  private previous?: ChatGptLogin;

  constructor(
    private readonly auth: AuthManager,
    private readonly outgoing: OutgoingRequests,
    private readonly config: AgentwireConfig,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * `loginChatGpt`: starts the callback server and returns at once; the outcome arrives later as
   * `login_chat_gpt_complete`, followed by `auth_status_change`. One login at a time, as 0.29
   * (whose second login found its own port taken).
   */
  async start(): Promise<{ loginId: string; authUrl: string }> {
    if (this.active) throw new InternalError('failed to start login server: Address in use (os error 98)');
    this.previous?.close();
    this.previous = undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    const { ChatGptLogin, LoginStartError } = require('./chatgpt-login') as typeof import('./chatgpt-login');
    let login: ChatGptLogin;
    try {
      login = await ChatGptLogin.start({
        issuer: this.auth.issuer(),
        port: this.config.get('login_port') as number | undefined,
        timeoutMs: this.config.get('login_timeout_ms') as number | undefined,
        store: (tokens) => this.auth.loginWithChatGpt(tokens),
        log: this.log,
      });
    } catch (err) {
      if (err instanceof LoginStartError) throw new InternalError(err.message);
      throw err;
    }
    this.active = login;
    void login.done.then((outcome) => this.finished(login, outcome));
    this.log.info({ loginId: login.loginId, port: login.port }, 'ChatGPT login started');
    return { loginId: login.loginId, authUrl: login.authUrl };
  }

  /** `cancelLoginChatGpt`: ends the running login; an id that is not running is 0.29's `-32600`. */
  cancel(loginId: string): void {
    if (this.active?.loginId !== loginId) throw new InvalidRequestError(`login id not found: ${loginId}`);
    this.active.cancel();
  }

  /** Sends `auth_status_change` with the method this process uses now (after the reply that caused it). */
  announceStatus(): void {
    const method = this.auth.current()?.method;
    const params: AuthStatusChangeParams = method ? { authMethod: method } : {};
    afterReply(() => this.outgoing.notify(OutgoingNotification.authStatusChange, params));
  }

  /** Frees the callback port (shutdown). */
  close(): void {
    this.active?.close();
    this.previous?.close();
  }

  private finished(login: ChatGptLogin, outcome: LoginOutcome): void {
    if (this.active === login) this.active = undefined;
    this.previous = login;
    this.log.info({ loginId: login.loginId, success: outcome.success, error: outcome.success ? undefined : outcome.error }, 'ChatGPT login ended');
    const params: LoginChatGptCompleteParams = outcome.success ? { loginId: login.loginId, success: true } : { loginId: login.loginId, success: false, error: outcome.error };
    afterReply(() => this.outgoing.notify(OutgoingNotification.loginChatGptComplete, params));
    this.announceStatus();
  }
}

/**
 * Defers a notification past the reply of the request that caused it: the reply is queued a few
 * microtasks after the handler returns, and a macrotask runs after all of them, so the event is
 * queued after the reply and a client sees `{}` first and then the event, as in the 0.29
 * transcripts.
 */
function afterReply(fn: () => void): void {
  setImmediate(fn);
}

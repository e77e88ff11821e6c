import { inject, injectable, type InjectionToken } from 'tsyringe';
import { AgentwireConfig } from '../config/config';
import type { AuthMethod } from '../config/config-schema';
import { LOGGER, type Logger } from '../logging/logger';
import { authFileIdentity, readAuthFile, toAuthJson, type AuthFile, type ChatGptTokens } from './auth-file';
import { readAuthFileSettled, removeAuthJson, withAuthLock, writeAuthJson } from './auth-store';
import { chooseAuthMethod } from './credential-choice';
import { parseIdToken } from './id-token';
import type { IssuerClient } from './issuer';
import { scrubSecrets } from './secrets';
import type { AuthStatusResult } from '../protocol/codex-results';

/** The OAuth issuer client, built on first use (the container picks its lifetime: one per process). */
export const ISSUER_CLIENT: InjectionToken<() => IssuerClient> = Symbol.for('agentwire:IssuerClient');

/** The login this process uses: one per process, read at start-up and cached (AUTH.md §5). */
export type ActiveAuth = { method: 'apikey'; apiKey: string; file?: AuthFile } | { method: 'chatgpt'; accessToken: string; accountId: string | null; file: AuthFile };

/** The result of `getAuthStatus` (WIRE.md §5.7), declared in src/protocol/. */
export type AuthStatus = AuthStatusResult;

/** Tokens a browser login produced, plus the API key exchanged for them (null when that failed). */
export interface ChatGptLoginTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  apiKey: string | null;
}

/** ChatGPT tokens obtained longer ago than this are refreshed before use (AUTH.md §3). */
export const REFRESH_AFTER_MS = 28 * 24 * 60 * 60 * 1000;

/** A token refresh failed (issuer answer, network, timeout, lock). The message is readable and holds no secret. */
export class AuthRefreshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRefreshError';
  }
}

/** Why a refresh is wanted; each reason has its own test for "already done by someone else". */
type RefreshReason = { kind: 'stale' } | { kind: 'forced'; generation: number } | { kind: 'unauthorized'; token: string };

/**
 * The single holder of the login for every conversation, every model request and
 * `getAuthStatus` in this process (a container singleton).
 *
 * It reads `auth.json` (or `OPENAI_API_KEY` when there is no file) once, in `load()` at
 * start-up, and keeps that snapshot. Another process's logout or login never changes it; the
 * only change it adopts from disk is another process's refresh of the same ChatGPT account
 * (same non-empty account id, newer `last_refresh`; AUTH.md §6 point 4). It changes otherwise
 * only through this process's own refresh, login and logout.
 *
 * Every read-modify-write of auth.json (refresh, login, logout) runs one at a time in this
 * process and under the home folder's lock across processes; a refresh re-reads the file under
 * the lock and uses another process's fresh tokens instead of calling the issuer a second time
 * (refresh tokens rotate, so a second call would leave one process with a dead token).
 */
@injectable()
export class AuthManager {
  private snapshot: AuthFile | undefined;
  private active: ActiveAuth | undefined;
  private loaded = false;
  /** Identity of the auth.json version the snapshot was last compared with (see authFileIdentity). */
  private seenIdentity: string | undefined;
  /** Serializes this process's read-modify-writes before they queue for the cross-process lock. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Counts changes of the tokens in use, so a forced refresh that waited for another can tell. */
  private generation = 0;

  constructor(
    private readonly config: AgentwireConfig,
    @inject(LOGGER) private readonly log: Logger,
    @inject(ISSUER_CLIENT) private readonly issuerClient: () => IssuerClient,
  ) {}

  /** Reads the login from disk. Load errors mean "not logged in", never a crash (AUTH.md §2 rule 2). */
  async load(): Promise<void> {
    await this.reload();
    this.loaded = true;
    this.log.debug({ method: this.active?.method ?? 'none' }, 'auth loaded');
  }

  /** The cached login; undefined when not logged in. It may be older than 28 days: see {@link credential}. */
  current(): ActiveAuth | undefined {
    if (!this.loaded) throw new Error('AuthManager.load() was not called');
    return this.active;
  }

  /** Config `preferred_auth_method`, default `chatgpt`; echoed by `getAuthStatus`. */
  get preferredAuthMethod(): AuthMethod {
    return this.config.preferredAuthMethod;
  }

  /** The home folder whose auth.json this manager owns. */
  get home(): string {
    return this.config.home;
  }

  /** The OAuth issuer client for refresh and login, built on first use (its settings come from config and env). */
  issuer(): IssuerClient {
    return this.issuerClient();
  }

  /**
   * The login to use right now: ChatGPT tokens older than 28 days (or with no refresh time) are
   * refreshed first. Throws {@link AuthRefreshError} when that refresh fails.
   */
  async credential(): Promise<ActiveAuth | undefined> {
    this.adoptRefreshFromDisk();
    if (this.isStale()) await this.refreshFor({ kind: 'stale' });
    return this.current();
  }

  /**
   * The headers that carry the login on a model request, asked for right before each request is
   * sent, so a refresh reaches every conversation at once. Throws {@link AuthRefreshError}.
   */
  async requestHeaders(): Promise<Record<string, string>> {
    const active = await this.credential();
    if (!active) return {};
    if (active.method === 'apikey') return { authorization: `Bearer ${active.apiKey}` };
    const headers: Record<string, string> = { authorization: `Bearer ${active.accessToken}` };
    if (active.accountId) headers['chatgpt-account-id'] = active.accountId;
    return headers;
  }

  /**
   * Refreshes the ChatGPT tokens now, whatever their age (`getAuthStatus {refreshToken:true}`),
   * and returns the new access token; undefined when the login is not ChatGPT. When another
   * refresh (here or in another process) completed meanwhile, its result counts.
   * Throws {@link AuthRefreshError}.
   */
  async refresh(): Promise<string | undefined> {
    if (this.current()?.method !== 'chatgpt') return undefined;
    await this.refreshFor({ kind: 'forced', generation: this.generation });
    const active = this.current();
    return active?.method === 'chatgpt' ? active.accessToken : undefined;
  }

  /**
   * After the model answered 401 to `rejectedToken`: refreshes once, unless the tokens in use
   * already changed since (another conversation's 401, another process's refresh). Resolves
   * true when a different access token is now in use. Throws {@link AuthRefreshError}.
   */
  async refreshAfterUnauthorized(rejectedToken: string): Promise<boolean> {
    const active = this.current();
    if (active?.method !== 'chatgpt') return false;
    this.adoptRefreshFromDisk();
    await this.refreshFor({ kind: 'unauthorized', token: rejectedToken });
    const now = this.current();
    return now?.method === 'chatgpt' && now.accessToken !== rejectedToken;
  }

  /**
   * `getAuthStatus` (WIRE.md §5.7): the method in use, its token only when asked for, a forced
   * refresh first when asked for. Where codex 0.29 blanks the reply because a needed refresh
   * failed, this keeps `authMethod`, leaves out `authToken` and says why in `authError`.
   */
  async status(options: { includeToken?: boolean; refreshToken?: boolean } = {}): Promise<AuthStatus> {
    const result: AuthStatus = { preferredAuthMethod: this.preferredAuthMethod };
    this.adoptRefreshFromDisk();
    if (!this.current()) return result;
    let authError: string | undefined;
    let forcedFailed = false;
    if (options.refreshToken && this.current()?.method === 'chatgpt') {
      try {
        await this.refresh();
      } catch (err) {
        authError = this.failureText(err);
        forcedFailed = true;
      }
    }
    let tokenAvailable = true;
    if (this.isStale()) {
      // A forced refresh that just failed would fail again; asking the issuer twice gains nothing.
      if (!forcedFailed) {
        try {
          await this.refreshFor({ kind: 'stale' });
        } catch (err) {
          authError = this.failureText(err);
        }
      }
      tokenAvailable = !this.isStale();
    }
    const active = this.current();
    if (!active) return result;
    result.authMethod = active.method;
    if (options.includeToken && tokenAvailable) result.authToken = active.method === 'apikey' ? active.apiKey : active.accessToken;
    if (authError) result.authError = authError;
    return result;
  }

  /**
   * Stores an API key as the login (`loginApiKey`, `agentwire login --api-key`): auth.json
   * becomes `{"OPENAI_API_KEY": key}` and this process uses the key from now on.
   */
  async loginWithApiKey(apiKey: string): Promise<void> {
    await this.exclusive(async () => {
      const file: AuthFile = { apiKey };
      await writeAuthJson(this.home, toAuthJson(file));
      this.replaceSnapshot(file);
    });
    this.log.info('logged in with an API key');
  }

  /**
   * Stores the result of a browser login (AUTH.md §4): the tokens, the account id from the id
   * token, the exchanged API key, `last_refresh` now. This process uses the new login from now on.
   */
  async loginWithChatGpt(tokens: ChatGptLoginTokens): Promise<void> {
    const claims = parseIdToken(tokens.idToken);
    await this.exclusive(async () => {
      const file: AuthFile = {
        apiKey: tokens.apiKey,
        tokens: {
          idToken: tokens.idToken,
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          accountId: claims.accountId ?? null,
          claims,
        },
        lastRefresh: new Date(),
      };
      await writeAuthJson(this.home, toAuthJson(file));
      this.replaceSnapshot(file);
    });
    this.log.info({ method: this.active?.method }, 'logged in with ChatGPT');
  }

  /**
   * Deletes auth.json (whatever it holds) and reloads, as `logoutChatGpt` does in codex: with no
   * file left, `OPENAI_API_KEY` from the environment is the login if set. Resolves true when
   * there was a file to delete.
   */
  async logout(): Promise<boolean> {
    const removed = await this.exclusive(async () => {
      const existed = await removeAuthJson(this.home);
      await this.reload();
      return existed;
    });
    this.log.info({ removed }, 'logged out');
    return removed;
  }

  /** Replaces the snapshot with what auth.json (or the environment) holds now. */
  private async reload(): Promise<void> {
    // Identity first: a replacement between the two steps is then noticed on the next check.
    const identity = authFileIdentity(this.home);
    const read = await readAuthFileSettled(this.home);
    let file: AuthFile | undefined;
    if (read.file) file = read.file;
    else if ('error' in read) this.log.warn({ reason: read.error }, 'auth.json cannot be used; not logged in');
    else {
      const envKey = process.env.OPENAI_API_KEY?.trim();
      if (envKey) {
        this.snapshot = undefined;
        this.active = { method: 'apikey', apiKey: envKey };
        this.seenIdentity = identity;
        this.generation++;
        return;
      }
    }
    this.seenIdentity = identity;
    this.setSnapshot(file);
  }

  private setSnapshot(file: AuthFile | undefined): void {
    this.snapshot = file;
    this.generation++;
    this.active = undefined;
    if (!file) return;
    const method = chooseAuthMethod(file, this.preferredAuthMethod);
    if (method === 'apikey') this.active = { method, apiKey: file.apiKey!, file };
    else if (method === 'chatgpt') {
      const tokens = file.tokens!;
      this.active = { method, accessToken: tokens.accessToken, accountId: tokens.accountId ?? tokens.claims.accountId ?? null, file };
    }
  }

  /** After this process wrote auth.json (under the lock): that version is the one seen. */
  private replaceSnapshot(file: AuthFile): void {
    this.seenIdentity = authFileIdentity(this.home);
    this.setSnapshot(file);
  }

  /** True when the login in use is ChatGPT and its tokens need a refresh before use. */
  private isStale(): boolean {
    const active = this.current();
    if (active?.method !== 'chatgpt') return false;
    const last = active.file.lastRefresh;
    // A login with no refresh time is of unknown age; refreshing it is the safe side.
    return !last || Date.now() - last.getTime() > REFRESH_AFTER_MS;
  }

  /**
   * Takes another process's refresh of the same ChatGPT account from auth.json, when the file
   * changed since last seen (AUTH.md §6 point 4). A stat per call; the file is read only when it
   * changed. Anything else on disk (another account, an API key, no file) is ignored.
   */
  private adoptRefreshFromDisk(): boolean {
    if (!this.loaded || this.active?.method !== 'chatgpt') return false;
    const identity = authFileIdentity(this.home);
    if (identity === this.seenIdentity) return false;
    this.seenIdentity = identity;
    if (identity === undefined) return false;
    let disk: AuthFile | undefined;
    try {
      disk = readAuthFile(this.home);
    } catch {
      return false; // a file another writer has not finished; looked at again when it changes
    }
    return this.adopt(disk);
  }

  /** Adopts `disk`'s tokens when it is a newer refresh of the login in use; true when it did. */
  private adopt(disk: AuthFile | undefined): boolean {
    const mine = this.snapshot;
    if (!mine?.tokens || !disk?.tokens || this.active?.method !== 'chatgpt') return false;
    const myAccount = accountOf(mine.tokens);
    if (!myAccount || myAccount !== accountOf(disk.tokens)) return false;
    if (!disk.lastRefresh || (mine.lastRefresh && disk.lastRefresh.getTime() <= mine.lastRefresh.getTime())) return false;
    // Only the tokens and their time: an API key written next to them is not this process's login.
    this.setSnapshot({ ...mine, tokens: disk.tokens, lastRefresh: disk.lastRefresh });
    this.log.debug('adopted tokens another process refreshed');
    return true;
  }

  /** Runs `fn` alone in this process and under the home's auth lock across processes. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => withAuthLock(this.home, fn, { log: this.log }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether `reason` still calls for a network refresh, given the tokens in use now. */
  private stillNeeded(reason: RefreshReason): boolean {
    const active = this.current();
    if (active?.method !== 'chatgpt') return false;
    switch (reason.kind) {
      case 'stale':
        return this.isStale();
      case 'forced':
        return this.generation === reason.generation;
      case 'unauthorized':
        return active.accessToken === reason.token;
    }
  }

  private async refreshFor(reason: RefreshReason): Promise<void> {
    if (!this.stillNeeded(reason)) return;
    try {
      await this.exclusive(async () => {
        if (!this.stillNeeded(reason)) return;
        const read = await readAuthFileSettled(this.home);
        this.seenIdentity = authFileIdentity(this.home);
        if (this.adopt(read.file) && !this.stillNeeded(reason)) return;
        await this.refreshUnderLock(read.file);
      });
    } catch (err) {
      const message = this.failureText(err);
      this.log.warn({ reason: message }, 'token refresh failed');
      throw new AuthRefreshError(message);
    }
  }

  /** Calls the issuer and stores the new tokens; `disk` is auth.json as just re-read under the lock. */
  private async refreshUnderLock(disk: AuthFile | undefined): Promise<void> {
    const mine = this.snapshot!;
    const old = mine.tokens!;
    const issued = await this.issuer().refresh(old.refreshToken);
    let claims;
    try {
      claims = parseIdToken(issued.idToken);
    } catch {
      throw new AuthRefreshError('Failed to refresh token: the issuer returned an id_token that is not a JWT');
    }
    const tokens: ChatGptTokens = {
      idToken: issued.idToken,
      accessToken: issued.accessToken ?? old.accessToken,
      refreshToken: issued.refreshToken ?? old.refreshToken,
      accountId: old.accountId ?? claims.accountId ?? null,
      claims,
    };
    const lastRefresh = new Date();
    // In use before it is saved: the old refresh token is dead now, so even if the write fails
    // this process must go on with the new tokens.
    this.setSnapshot({ ...mine, tokens, lastRefresh });
    if (disk?.tokens && sameLogin(disk.tokens, old)) {
      try {
        await writeAuthJson(this.home, toAuthJson({ ...disk, tokens, lastRefresh }));
        this.seenIdentity = authFileIdentity(this.home);
      } catch (err) {
        this.log.warn({ reason: (err as Error).message }, 'the refreshed tokens could not be saved; they are used by this process only');
      }
    } else {
      // The file now belongs to another login (or to none): writing ours back would undo
      // another process's login or logout, so the refreshed tokens stay in this process only.
      this.log.info('auth.json holds another login now; the refreshed tokens are kept in memory only');
    }
    this.log.debug('tokens refreshed');
  }

  /** A failure as a readable text without any token of this login in it. */
  private failureText(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const tokens = this.snapshot?.tokens;
    const text = scrubSecrets(message, [tokens?.accessToken, tokens?.refreshToken, tokens?.idToken, this.snapshot?.apiKey]);
    // Lock and write failures come without the refresh context the issuer errors have.
    return /refresh/i.test(text) ? text : `Failed to refresh token: ${text}`;
  }
}

function accountOf(tokens: ChatGptTokens): string | undefined {
  return tokens.accountId || tokens.claims.accountId || undefined;
}

/** Same login on disk as in memory: the same account, or, without account ids, the same refresh token. */
function sameLogin(a: ChatGptTokens, b: ChatGptTokens): boolean {
  const ida = accountOf(a);
  const idb = accountOf(b);
  if (ida || idb) return ida === idb;
  return a.refreshToken === b.refreshToken;
}

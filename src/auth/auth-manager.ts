import { inject, injectable } from 'tsyringe';
import { AgentwireConfig } from '../config/config';
import type { AuthMethod } from '../config/config-schema';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../tokens';
import { readAuthFile, type AuthFile } from './auth-file';
import { chooseAuthMethod } from './credential-choice';

/** The login this process uses: one per process, read at start-up and cached (AUTH.md §5). */
export type ActiveAuth =
  | { method: 'apikey'; apiKey: string; file?: AuthFile }
  | { method: 'chatgpt'; accessToken: string; accountId: string | null; file: AuthFile };

/** The result of `getAuthStatus` (WIRE.md §5.7). */
export interface AuthStatus {
  authMethod?: AuthMethod;
  preferredAuthMethod: AuthMethod;
  authToken?: string;
  authError?: string;
}

/** How long to wait before reading a file that did not parse a second time (a writer may be mid-write). */
const REREAD_DELAY_MS = 50;

/**
 * The single holder of the login for every conversation and for `getAuthStatus`. It reads
 * `auth.json` (or `OPENAI_API_KEY` when there is no file) once, in `load()` at start-up, and
 * keeps that snapshot: another process changing the file does not change what this one uses.
 */
@injectable()
export class AuthManager {
  private active: ActiveAuth | undefined;
  private loaded = false;

  constructor(
    private readonly config: AgentwireConfig,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Reads the login from disk. Load errors mean "not logged in", never a crash (AUTH.md §2 rule 2). */
  async load(): Promise<void> {
    this.active = await this.readActive();
    this.loaded = true;
    this.log.debug({ method: this.active?.method ?? 'none' }, 'auth loaded');
  }

  /** The cached login; undefined when not logged in. */
  current(): ActiveAuth | undefined {
    if (!this.loaded) throw new Error('AuthManager.load() was not called');
    return this.active;
  }

  get preferredAuthMethod(): AuthMethod {
    return this.config.preferredAuthMethod;
  }

  /** `getAuthStatus`: the method in use, and its token only when asked for (WIRE.md §5.7). */
  async status(options: { includeToken?: boolean; refreshToken?: boolean } = {}): Promise<AuthStatus> {
    const result: AuthStatus = { preferredAuthMethod: this.preferredAuthMethod };
    const active = this.current();
    if (!active) return result;
    result.authMethod = active.method;
    if (options.includeToken) result.authToken = active.method === 'apikey' ? active.apiKey : active.accessToken;
    return result;
  }

  private async readActive(): Promise<ActiveAuth | undefined> {
    const home = this.config.home;
    let file: AuthFile | undefined;
    try {
      file = await readAuthFile(home);
    } catch {
      await new Promise((r) => setTimeout(r, REREAD_DELAY_MS));
      try {
        file = await readAuthFile(home);
      } catch (err) {
        this.log.warn({ reason: (err as Error).message }, 'auth.json cannot be used; not logged in');
        return undefined;
      }
    }
    if (!file) {
      const envKey = process.env.OPENAI_API_KEY?.trim();
      return envKey ? { method: 'apikey', apiKey: envKey } : undefined;
    }
    const method = chooseAuthMethod(file, this.preferredAuthMethod);
    if (method === 'apikey') return { method, apiKey: file.apiKey!, file };
    if (method === 'chatgpt') {
      const tokens = file.tokens!;
      return { method, accessToken: tokens.accessToken, accountId: tokens.accountId ?? tokens.claims.accountId ?? null, file };
    }
    return undefined;
  }
}

import type { InjectionToken } from 'tsyringe';
import type pino from 'pino';

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** pino's numeric levels. */
export const LEVEL_VALUES: Record<LevelName, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
export const DEFAULT_LEVEL: LevelName = 'warn';

type LogFn = (objOrMsg: object | string, msg?: string) => void;

/** The server's root logger; a registry symbol, so another copy of agentwire names the same token. */
export const LOGGER: InjectionToken<Logger> = Symbol.for('agentwire:Logger');

/** The structured logger every part of agentwire gets (through the LOGGER token). */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every record. */
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: LevelName): boolean;
}

export function isLevelName(value: unknown): value is LevelName {
  return typeof value === 'string' && value in LEVEL_VALUES;
}

/**
 * The stderr log level: `AGENTWIRE_LOG` wins, then config `log_level`, then `RUST_LOG` (codex's
 * variable; only a plain level such as `debug` is understood), then the default (CONFIG.md §5).
 */
export function resolveLogLevel(env: NodeJS.ProcessEnv, configLevel: unknown): LevelName {
  const fromRust = (env.RUST_LOG ?? '').trim().toLowerCase();
  for (const candidate of [env.AGENTWIRE_LOG?.trim().toLowerCase(), configLevel, fromRust === 'warning' ? 'warn' : fromRust]) {
    if (isLevelName(candidate)) return candidate;
  }
  return DEFAULT_LEVEL;
}

/** A sink for log records the client asked for with `logging/setLevel`. */
export interface LogSink {
  write(line: string): void;
  /** The least severe pino level the sink wants; undefined when it wants nothing. */
  readonly pinoThreshold: number | undefined;
}

/**
 * Shared by a root logger and its children: the thresholds, and pino itself, made on the first
 * record that passes. Loading and building pino costs a few milliseconds, and a server started at
 * the default level usually logs nothing, so start-up does not pay for it.
 */
class LogCore {
  private instance?: pino.Logger;

  constructor(
    readonly stderrLevel: LevelName,
    private readonly sink: LogSink | undefined,
  ) {}

  get threshold(): number {
    return Math.min(LEVEL_VALUES[this.stderrLevel], this.sink?.pinoThreshold ?? Infinity);
  }

  pino(): pino.Logger {
    if (!this.instance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
      const pinoFn = require('pino') as typeof import('pino');
      const stderr = pinoFn.destination({ fd: 2, sync: true });
      const streams: pino.StreamEntry[] = [];
      if (this.stderrLevel !== 'silent') streams.push({ level: this.stderrLevel, stream: stderr });
      if (this.sink) streams.push({ level: 'trace', stream: this.sink });
      // Filtering is done before pino is called (see threshold); each stream keeps its own level.
      this.instance = pinoFn({ level: 'trace', base: { name: 'agentwire' } }, pinoFn.multistream(streams));
    }
    return this.instance;
  }
}

class LazyLogger implements Logger {
  private instance?: pino.Logger;

  constructor(
    private readonly core: LogCore,
    private readonly bindings: Record<string, unknown>[] = [],
  ) {}

  // Methods, not arrow-function fields: a logger is made per conversation, and six closures each
  // would be most of its size.
  trace(a: object | string, b?: string): void {
    this.write('trace', a, b);
  }
  debug(a: object | string, b?: string): void {
    this.write('debug', a, b);
  }
  info(a: object | string, b?: string): void {
    this.write('info', a, b);
  }
  warn(a: object | string, b?: string): void {
    this.write('warn', a, b);
  }
  error(a: object | string, b?: string): void {
    this.write('error', a, b);
  }
  fatal(a: object | string, b?: string): void {
    this.write('fatal', a, b);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new LazyLogger(this.core, [...this.bindings, bindings]);
  }

  isLevelEnabled(level: LevelName): boolean {
    return LEVEL_VALUES[level] >= this.core.threshold;
  }

  private write(level: Exclude<LevelName, 'silent'>, objOrMsg: object | string, msg?: string): void {
    if (LEVEL_VALUES[level] < this.core.threshold) return;
    this.instance ??= this.bindings.reduce<pino.Logger>((logger, b) => logger.child(b), this.core.pino());
    if (typeof objOrMsg === 'string') this.instance[level](objOrMsg);
    else this.instance[level](objOrMsg, msg);
  }
}

/**
 * One structured JSON logger. Records go to stderr (fd 2, synchronous so nothing is lost at exit)
 * at `level`, and to `clientSink` at whatever level that sink asks for. stdout is never touched.
 */
export function createLogger(level: LevelName, clientSink?: LogSink): Logger {
  return new LazyLogger(new LogCore(level, clientSink));
}

export function createSilentLogger(): Logger {
  return createLogger('silent');
}

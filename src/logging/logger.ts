import pino from 'pino';

export type Logger = pino.Logger;
export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS: readonly LevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export const DEFAULT_LEVEL: LevelName = 'warn';

export function isLevelName(value: unknown): value is LevelName {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
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
}

/**
 * One structured JSON logger. Records go to stderr (fd 2, synchronous so nothing is lost at exit)
 * at `level`, and to `clientSink` at whatever level that sink filters for. stdout is never touched.
 */
export function createLogger(level: LevelName, clientSink?: LogSink): Logger {
  const stderr = pino.destination({ fd: 2, sync: true });
  if (!clientSink) return pino({ level, base: { name: 'agentwire' } }, stderr);
  const streams = pino.multistream([
    { level: level === 'silent' ? 'fatal' : level, stream: level === 'silent' ? { write() {} } : stderr },
    { level: 'trace', stream: clientSink },
  ]);
  return pino({ level, base: { name: 'agentwire' } }, streams);
}

export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

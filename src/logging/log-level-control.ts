import type { InjectionToken } from 'tsyringe';
import type { ClientLogSink, McpLogLevel } from '../mcp/client-log-sink';
import type { LevelName, Logger } from './logger';

/** Changes which records reach the client (`logging/setLevel`) without changing what reaches stderr. */
export interface LogLevelControl {
  setClientLevel(level: McpLogLevel): void;
}

export const LOG_LEVEL_CONTROL: InjectionToken<LogLevelControl> = Symbol.for('agentwire:LogLevelControl');

export class PinoLogLevelControl implements LogLevelControl {
  constructor(
    private readonly logger: Logger,
    private readonly sink: ClientLogSink,
    private readonly stderrLevel: LevelName,
  ) {}

  setClientLevel(level: McpLogLevel): void {
    this.sink.setLevel(level);
    const stderr = this.logger.levels.values[this.stderrLevel] ?? Infinity;
    const wanted = Math.min(stderr, this.sink.pinoThreshold ?? Infinity);
    const name = Object.entries(this.logger.levels.values).find(([, v]) => v === wanted)?.[0];
    // notice (35) has no pino name; `info` lets it through and the sink filters the rest.
    this.logger.level = name ?? 'info';
  }
}

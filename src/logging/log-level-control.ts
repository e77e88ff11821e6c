import type { InjectionToken } from 'tsyringe';
import type { ClientLogSink, McpLogLevel } from './client-log-sink';

/** Changes which records reach the client (`logging/setLevel`) without changing what reaches stderr. */
export interface LogLevelControl {
  setClientLevel(level: McpLogLevel): void;
}

export const LOG_LEVEL_CONTROL: InjectionToken<LogLevelControl> = Symbol.for('agentwire:LogLevelControl');

/** The logger reads the sink's threshold on every record, so setting it is all it takes. */
export class SinkLogLevelControl implements LogLevelControl {
  constructor(private readonly sink: ClientLogSink) {}

  setClientLevel(level: McpLogLevel): void {
    this.sink.setLevel(level);
  }
}

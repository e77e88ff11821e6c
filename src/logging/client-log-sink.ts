import type { LogSink } from './logger';

import type { LogMessageParams } from '../protocol/mcp';
import type { McpLogLevel } from '../protocol/values';

export { MCP_LOG_LEVELS, type McpLogLevel } from '../protocol/values';

/** pino's numeric level for the least severe record an MCP level lets through. */
const PINO_THRESHOLD: Record<McpLogLevel, number> = {
  debug: 20,
  info: 30,
  notice: 35,
  warning: 40,
  error: 50,
  critical: 60,
  alert: 60,
  emergency: 60,
};

function toMcpLevel(pinoLevel: number): McpLogLevel {
  if (pinoLevel >= 60) return 'critical';
  if (pinoLevel >= 50) return 'error';
  if (pinoLevel >= 40) return 'warning';
  if (pinoLevel >= 30) return 'info';
  return 'debug';
}

/**
 * Sends log records to the client as `notifications/message` once it asked for them with
 * `logging/setLevel`; until then nothing is sent. Records hold no secrets (rule of the project),
 * so they may leave the process like stderr lines do.
 */
export class ClientLogSink implements LogSink {
  private threshold: number | undefined;
  private send?: (params: LogMessageParams) => void;

  /** `send` writes one `notifications/message` (its declaration: OutgoingNotification.logMessage). */
  connect(send: (params: LogMessageParams) => void): void {
    this.send = send;
  }

  setLevel(level: McpLogLevel): void {
    this.threshold = PINO_THRESHOLD[level];
  }

  /** The least severe pino level this sink wants; undefined until the client sets a level. */
  get pinoThreshold(): number | undefined {
    return this.threshold;
  }

  write(line: string): void {
    if (this.threshold === undefined || !this.send) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const level = typeof record.level === 'number' ? record.level : 30;
    if (level < this.threshold) return;
    const { level: _level, time: _time, pid: _pid, hostname: _hostname, name: _name, ...data } = record;
    // Stack traces stay on stderr: the client gets the error's type and message only.
    if (data.err && typeof data.err === 'object') {
      const err = data.err as Record<string, unknown>;
      data.err = { type: err.type, message: err.message };
    }
    this.send({ level: toMcpLevel(level), logger: 'agentwire', data });
  }
}

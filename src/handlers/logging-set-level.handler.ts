import { inject } from 'tsyringe';
import { LOG_LEVEL_CONTROL, type LogLevelControl } from '../logging/log-level-control';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { LoggingSetLevelParams } from '../protocol/mcp';
import { IncomingRequest } from '../protocol/methods';

/** `logging/setLevel`: from now on, log records at this level or above also go to the client. */
@Method(IncomingRequest.loggingSetLevel)
export class LoggingSetLevelHandler implements Handler<LoggingSetLevelParams> {
  constructor(@inject(LOG_LEVEL_CONTROL) private readonly levels: LogLevelControl) {}

  handle(params: LoggingSetLevelParams) {
    this.levels.setClientLevel(params.level);
    return {};
  }
}

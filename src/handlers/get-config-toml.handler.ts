import { AgentwireConfig } from '../config/config';
import { ConfigError, readConfigFile } from '../config/config-file';
import { getConfigTomlView } from '../config/derive-settings';
import { InternalError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `getConfigToml`: the camelCase subset of config.toml, read now (WIRE.md §5.12). Params are ignored. */
@Method(IncomingRequest.getConfigToml)
export class GetConfigTomlHandler implements Handler {
  constructor(private readonly config: AgentwireConfig) {}

  handle() {
    try {
      return getConfigTomlView(readConfigFile(this.config.path).tree);
    } catch (err) {
      if (err instanceof ConfigError) {
        const failedRead = err.message.startsWith('failed to read');
        throw new InternalError(`${failedRead ? 'failed to load' : 'failed to parse'} config.toml: ${err.message}`);
      }
      throw err;
    }
  }
}

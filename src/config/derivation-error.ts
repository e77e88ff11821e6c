import { ConfigError } from './config-file';

/**
 * The settings of one conversation could not be derived: an unknown profile or provider, a bad
 * value, an unreadable instructions file. The message is the bare reason; the `newConversation`
 * handler prefixes `error deriving config: ` (WIRE.md §5.1).
 *
 * It extends ConfigError so that, when the same checks run at start-up, the code that already
 * turns a ConfigError into exit status 1 handles it without knowing about this class.
 */
export class ConfigDerivationError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigDerivationError';
  }
}

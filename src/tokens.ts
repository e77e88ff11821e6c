import type { InjectionToken } from 'tsyringe';
import type { Logger } from './logging/logger';
import type { ProcessGroups } from './process/process-groups';
import type { RequestContext } from './router/handler';

/**
 * Injection tokens for services that are interfaces, not classes (STYLE.md rule 5). Registry
 * symbols, so a plugin built against another copy of agentwire names the same tokens.
 */
export const LOGGER: InjectionToken<Logger> = Symbol.for('agentwire:Logger');
/** The current request's context, registered in each request's child container. */
export const REQUEST_CONTEXT: InjectionToken<RequestContext> = Symbol.for('agentwire:RequestContext');
/** The `-c key=value` overrides given on the command line, parsed. */
export const CLI_OVERRIDES: InjectionToken<Record<string, unknown>> = Symbol.for('agentwire:CliOverrides');
/** The registry of child process groups that end with the server (for plugins that spawn processes). */
export const PROCESS_GROUPS: InjectionToken<ProcessGroups> = Symbol.for('agentwire:ProcessGroups');

#!/usr/bin/env node
import 'reflect-metadata';
import cac from 'cac';
import { ConfigError } from './config/config-file';
import { OverrideSyntaxError, parseOverride } from './config/overrides';
import { PluginError } from './plugins/plugin-host';
import { VERSION } from './version';

// cac rather than a larger CLI library: clients spawn `agentwire mcp` for every session, so
// start-up time matters, and cac needs nothing but `events` (commander pulls in child_process).

function fail(message: string): never {
  process.stderr.write(`agentwire: ${message}\n`);
  process.exit(1);
}

/** `-c key=value` options, repeated or not, into dotted key → parsed value. */
export function collectOverrides(raw: unknown): Record<string, unknown> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Record<string, unknown> = {};
  for (const item of list) {
    const { path, value } = parseOverride(String(item));
    out[path.join('.')] = value;
  }
  return out;
}

/** The `-c` overrides of a command, or exit with the reason a malformed one is refused. */
function overridesOrExit(raw: unknown): Record<string, unknown> {
  try {
    return collectOverrides(raw);
  } catch (err) {
    if (err instanceof OverrideSyntaxError) fail(err.message);
    throw err;
  }
}

async function runMcp(options: { config?: unknown }): Promise<void> {
  const overrides = overridesOrExit(options.config);
  // Loaded here so that --help and --version do not pay for the server's modules.
  const { startServer } = await import('./server');
  let server;
  try {
    server = await startServer({ cliOverrides: overrides });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PluginError) fail(err.message);
    fail(`failed to start: ${(err as Error).message}`);
  }
  // A bug in a plugin or a library must not take the server down with its children still
  // running and its conversations lost: it is logged and the server goes on.
  process.on('uncaughtException', (err) => server.logger.error({ err }, 'uncaught exception; the server goes on'));
  process.on('unhandledRejection', (reason) => server.logger.error({ err: reason }, 'unhandled rejection; the server goes on'));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    // `on`, not `once`: signal-exit (loaded with the auth.json lock) re-raises a signal when it
    // finds itself the only listener left, which would end the process before shutdown is done.
    // A repeated signal is harmless: shutdown() returns the one shutdown already running.
    process.on(signal, () => void server.shutdown(`received ${signal}`));
  }
  process.exit(await server.done);
}

/** Options the login commands share. */
interface AuthCommandOptions {
  config?: unknown;
  apiKey?: unknown;
}

/** Runs one of the login commands (src/auth/auth-cli.ts, loaded only now) and exits with its code. */
async function runAuthCommand(which: 'login' | 'logout', options: AuthCommandOptions, extra?: string): Promise<void> {
  // A value given to --api-key, or an extra argument, may be the key itself: it is refused
  // without being repeated anywhere.
  if (typeof options.apiKey === 'string' || (options.apiKey && extra !== undefined)) {
    fail('the API key is read from stdin, never from the command line (usage: printenv OPENAI_API_KEY | agentwire login --api-key)');
  }
  if (extra !== undefined && !(which === 'login' && extra === 'status')) fail('unexpected argument to login (expected: agentwire login [status] [--api-key])');
  const overrides = overridesOrExit(options.config);
  const [commands, { authManagerFor }] = await Promise.all([import('./auth/auth-cli'), import('./container')]);
  const env = { overrides, authManager: authManagerFor };
  let code: number;
  try {
    if (which === 'logout') code = await commands.logout(env);
    else if (extra === 'status') code = await commands.loginStatus(env);
    else if (options.apiKey) code = await commands.loginWithApiKey(env);
    else code = await commands.loginWithChatGpt(env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    fail((err as Error).message);
  }
  process.exit(code);
}

type HelpSection = { title?: string; body: string };

/**
 * Reshapes cac's help text. cac prints the catch-all `[...args]` command (which exists only to
 * refuse unknown commands) as the usage and as a command, indents usage and examples with `$`,
 * and ends every option line with a space; this gives one `Usage:` line, the real commands, and
 * no trailing spaces.
 */
export function tidyHelp(sections: HelpSection[]): HelpSection[] {
  const out: HelpSection[] = [];
  for (const section of sections) {
    if (section.title === undefined && out.length === 0) {
      out.push({ body: `agentwire ${VERSION}: a local coding agent behind the Model Context Protocol` });
    } else if (section.title === 'Usage') {
      const usage = section.body.trim().replace(/^\$ /, '').replace('[...args]', '<command>');
      out.push({ body: `Usage: ${usage}${usage.includes('[options]') ? '' : ' [options]'}` });
    } else if (section.title === 'Examples') {
      out.push({
        title: section.title,
        body: section.body
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      });
    } else {
      const lines = section.body.split('\n').filter((line) => !line.includes('[...args]') && line.trim() !== '$ agentwire --help');
      out.push({ ...section, body: lines.join('\n') });
    }
  }
  out.push({ body: 'The home folder is $CODEX_HOME (default ~/.codex): config.toml and auth.json are\nread from it. Logs go to stderr; set AGENTWIRE_LOG=debug for more.' });
  return out.map((s) => ({
    ...s,
    body: s.body
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n'),
  }));
}

const cli = cac('agentwire');
cli.usage('<command> [options]');
cli
  .command('mcp', 'Serve MCP: newline-delimited JSON-RPC 2.0 on stdin and stdout')
  .option('-c, --config <key=value>', 'Set a config.toml key: dotted.key=JSON; repeatable')
  .example('agentwire mcp -c model=\'"o3"\' -c approval_policy=never')
  .action((options: { config?: unknown }) => runMcp(options));
cli
  .command('login [status]', 'Log in (ChatGPT in a browser, or --api-key); `status` shows it')
  .option('--api-key', 'Store an API key, read from stdin, as the login')
  .option('-c, --config <key=value>', 'Set a config.toml key (as for mcp); repeatable')
  .example('printenv OPENAI_API_KEY | agentwire login --api-key')
  .action((status: string | undefined, options: AuthCommandOptions) => runAuthCommand('login', options, status));
cli
  .command('logout', 'Remove the stored login (auth.json in the home folder)')
  .option('-c, --config <key=value>', 'Set a config.toml key (as for mcp); repeatable')
  .action((options: AuthCommandOptions) => runAuthCommand('logout', options));
cli
  .command('schema', `Write the protocol's JSON Schema and TypeScript types`)
  .option('--out <dir>', 'Folder to write them to', { default: '.' })
  .action(async (options: { out: string }) => {
    // Loaded here: only this command needs the schema generators.
    const { writeSchemaFiles } = await import('./schema/schema-command');
    for (const path of await writeSchemaFiles(String(options.out))) process.stdout.write(`${path}\n`);
  });
cli.command('[...args]', '').action((args: string[]) => {
  if (args.length > 0) fail(`unknown command: ${args.join(' ')} (see agentwire --help)`);
  cli.outputHelp();
});
cli.help(tidyHelp);
cli.option('-v, --version', 'Display version number');

try {
  // cac's own --version adds the platform; clients and scripts expect the bare version.
  if (['-v', '-V', '--version'].includes(process.argv[2] ?? '')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  cli.parse(process.argv, { run: false });
  if (!cli.options.help && !cli.options.version) {
    void Promise.resolve(cli.runMatchedCommand()).catch((err: unknown) => fail((err as Error).message));
  }
} catch (err) {
  fail((err as Error).message);
}

#!/usr/bin/env node
import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from './config/config-file';
import { OverrideSyntaxError, parseOverride } from './config/overrides';
import { PluginError } from './plugins/plugin-host';
import { VERSION } from './version';

/** Collects repeated `-c key=value` options into dotted key → parsed value. */
function collectOverride(arg: string, previous: Record<string, unknown>): Record<string, unknown> {
  try {
    const { path, value } = parseOverride(arg);
    return { ...previous, [path.join('.')]: value };
  } catch (err) {
    if (err instanceof OverrideSyntaxError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function fail(message: string): never {
  process.stderr.write(`agentwire: ${message}\n`);
  process.exit(1);
}

async function runMcp(overrides: Record<string, unknown>): Promise<void> {
  // Loaded here so that --help and --version do not pay for the server's modules.
  const { startServer } = await import('./server');
  let server;
  try {
    server = await startServer({ cliOverrides: overrides });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PluginError) fail(err.message);
    fail(`failed to start: ${(err as Error).message}`);
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => void server.shutdown(`received ${signal}`));
  }
  const code = await server.done;
  process.exit(code);
}

const program = new Command();
program
  .name('agentwire')
  .description('A local coding agent behind the Model Context Protocol, wire-compatible with `codex mcp` (Codex CLI 0.29).')
  .version(VERSION, '-V, --version', 'print the version')
  .helpOption('-h, --help', 'show this help')
  .showHelpAfterError();

program
  .command('mcp')
  .description('serve MCP (newline-delimited JSON-RPC 2.0) on stdin/stdout')
  .option<Record<string, unknown>>(
    '-c, --config <key=value>',
    'override a config.toml key: a dotted key and a JSON value (text that is not JSON is a string); repeatable',
    collectOverride,
    {},
  )
  .action(async (opts: { config: Record<string, unknown> }) => runMcp(opts.config));

program.addHelpText(
  'after',
  '\nThe home folder is $CODEX_HOME (default ~/.codex); config.toml and auth.json are read from it.\nLogs go to stderr; set AGENTWIRE_LOG=debug for more.',
);

program.parseAsync(process.argv).catch((err: unknown) => fail((err as Error).message));

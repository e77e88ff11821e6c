import { AgentwireConfig } from '../config/config';
import { resolveHome } from '../config/home';
import { createLogger, resolveLogLevel, type Logger } from '../logging/logger';
import type { AuthManager } from './auth-manager';
import { maskApiKey } from './secrets';

/*
 * `agentwire login`, `agentwire login --api-key`, `agentwire login status` and `agentwire logout`.
 * Loaded by cli.ts only when one of them runs. Messages go to stderr, as codex's do; an API key
 * is read from stdin only, so it never shows in a process list or a shell history.
 */

/** What a command run ends with: the exit code, messages already written. */
export type ExitCode = number;

interface CliEnv {
  overrides: Record<string, unknown>;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
  /** Builds the AuthManager (the composition root picks its collaborators). */
  authManager(config: AgentwireConfig, logger: Logger): AuthManager;
}

async function openAuth(env: CliEnv): Promise<{ auth: AuthManager; config: AgentwireConfig }> {
  const config = AgentwireConfig.load({ home: resolveHome(), cliOverrides: env.overrides });
  // Default level "warn": a CLI user sees problems (a failed refresh), not the server's debug chatter.
  const logger = createLogger(resolveLogLevel(process.env, config.logLevel ?? 'warn'));
  const auth = env.authManager(config, logger);
  await auth.load();
  return { auth, config };
}

function say(env: CliEnv, line: string): void {
  (env.stderr ?? process.stderr).write(`${line}\n`);
}

/** Reads the whole of stdin (the API key); a terminal gets a prompt first. */
async function readStdin(env: CliEnv): Promise<string> {
  const input = env.stdin ?? process.stdin;
  if (input.isTTY) say(env, 'Paste the API key, then press Enter and Ctrl-D:');
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** `agentwire login --api-key`: the key from stdin becomes the login. */
export async function loginWithApiKey(env: CliEnv): Promise<ExitCode> {
  const key = await readStdin(env);
  if (key === '') {
    say(env, 'agentwire: no API key on stdin (usage: printenv OPENAI_API_KEY | agentwire login --api-key)');
    return 1;
  }
  const { auth } = await openAuth(env);
  await auth.loginWithApiKey(key);
  say(env, 'Successfully logged in');
  return 0;
}

/** `agentwire login status`: how this home is logged in; exit 1 when it is not. */
export async function loginStatus(env: CliEnv): Promise<ExitCode> {
  const { auth } = await openAuth(env);
  const status = await auth.status();
  const active = auth.current();
  if (!status.authMethod || !active) {
    say(env, 'Not logged in');
    return 1;
  }
  if (active.method === 'apikey') {
    say(env, `Logged in using an API key - ${maskApiKey(active.apiKey)}`);
  } else {
    const { email, planType } = active.file.tokens!.claims;
    const who = [email, planType && `plan ${planType}`].filter(Boolean).join(', ');
    say(env, `Logged in using ChatGPT${who ? ` (${who})` : ''}`);
  }
  if (status.authError) say(env, `Warning: ${status.authError}`);
  return 0;
}

/** `agentwire logout`: removes auth.json. */
export async function logout(env: CliEnv): Promise<ExitCode> {
  const { auth } = await openAuth(env);
  const removed = await auth.logout();
  say(env, removed ? 'Successfully logged out' : 'Not logged in');
  return 0;
}

/** `agentwire login`: prints the URL to open, waits for the browser to come back (or Ctrl-C). */
export async function loginWithChatGpt(env: CliEnv): Promise<ExitCode> {
  const { auth, config } = await openAuth(env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { ChatGptLogin, LoginStartError } = require('./chatgpt-login') as typeof import('./chatgpt-login');
  let login;
  try {
    login = await ChatGptLogin.start({
      issuer: auth.issuer(),
      port: config.get('login_port') as number | undefined,
      timeoutMs: config.get('login_timeout_ms') as number | undefined,
      store: (tokens) => auth.loginWithChatGpt(tokens),
    });
  } catch (err) {
    if (err instanceof LoginStartError) {
      say(env, `agentwire: ${err.message}`);
      return 1;
    }
    throw err;
  }
  say(env, `Starting local login server on http://localhost:${login.port}.`);
  say(env, `Open this URL in your browser to log in:\n\n${login.authUrl}\n`);
  const onSignal = () => login.cancel();
  process.on('SIGINT', onSignal);
  const outcome = await login.done;
  process.off('SIGINT', onSignal);
  if (!outcome.success) {
    say(env, `agentwire: ${outcome.error}`);
    return 1;
  }
  say(env, 'Successfully logged in');
  // The browser is on its way to the success page; leaving now would show it an error.
  await login.closed;
  return 0;
}

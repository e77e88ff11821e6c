/**
 * A process that writes auth.json versions 1, 2, 3... in a loop through agentwire's atomic write,
 * for the test that kills it at random moments. Prints `wrote <n>` after each write.
 * Usage: node auth-writer-child.js <home> <first version>
 */
import { writeAuthJson } from '../../src/auth/auth-store';

/** Version n of the file: sizes vary a lot, so a torn write would show as a mix or a truncation. */
export function authVersion(n: number): Record<string, unknown> {
  return {
    OPENAI_API_KEY: `sk-version-${n}`,
    tokens: {
      id_token: `${'a'.repeat(1 + ((n * 7919) % 60_000))}.${n}`,
      access_token: `at-${n}`,
      refresh_token: `rt-${n}`,
      account_id: `acc-${n}`,
    },
    last_refresh: new Date(n * 1000).toISOString(),
  };
}

async function main(): Promise<void> {
  const [home, first] = process.argv.slice(2);
  for (let n = Number(first); ; n++) {
    await writeAuthJson(home, authVersion(n));
    process.stdout.write(`wrote ${n}\n`);
  }
}

if (require.main === module) void main();

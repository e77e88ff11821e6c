import { McpTestClient } from '../support/mcp-client';
import { checkConversation } from '../support/protocol-check';

/**
 * Root hooks (this file's top level applies to every test of the run): each message that the
 * integration tests' clients exchanged with a real server is checked against the schema
 * generated from src/protocol/, so the declarations and the behaviour cannot drift apart.
 * Problems are collected per test and reported together once the run ends (a failing
 * afterEach would skip the rest of its suite). AGENTWIRE_SCHEMA_CHECK=off turns it off.
 */
const found: string[] = [];

afterEach(function () {
  if (process.env.AGENTWIRE_SCHEMA_CHECK === 'off') return;
  for (const client of McpTestClient.unchecked) {
    for (const problem of checkConversation(client.log)) found.push(`${this.currentTest?.fullTitle() ?? '?'}: ${problem}`);
  }
  McpTestClient.unchecked.clear();
});

after(function () {
  if (found.length > 0) throw new Error(`messages that do not match the protocol's schema:\n${found.join('\n')}`);
});

#!/usr/bin/env python3
"""Run agentwire's `codex` tool from Python with the official MCP client.

    python3 -m venv .venv && .venv/bin/pip install mcp==2.3.0
    .venv/bin/python examples/python-client.py "add a hello.txt that says hi"
    .venv/bin/python examples/python-client.py "add a hello.txt" node dist/cli.js mcp   # a checkout's build

The client (mode="auto") probes `server/discover` and then speaks MCP 2026-07-28 with agentwire.
Before the agent runs a command or changes a file, agentwire asks through the client's elicitation
callback; this one shows the question and reads y/n from standard input. The server command
defaults to `agentwire mcp`; it gets CODEX_HOME and OPENAI_API_KEY when they are set.
"""

import asyncio
import os
import sys

import mcp_types as types
from mcp import Client
from mcp.client.stdio import StdioServerParameters


async def ask_user(context, params):
    """Called for each approval: params.message names the command and its folder, or the files."""
    answer = await asyncio.to_thread(input, f"{params.message} [y/N] ")
    if answer.strip().lower() in ("y", "yes"):
        return types.ElicitResult(action="accept", content={"decision": "approved"})
    return types.ElicitResult(action="decline")


async def main(prompt: str, command: list[str]) -> None:
    # The client passes only a few safe variables (PATH, HOME, ...) to the server; add agentwire's.
    env = {k: os.environ[k] for k in ("CODEX_HOME", "OPENAI_API_KEY") if k in os.environ}
    server = StdioServerParameters(command=command[0], args=command[1:], env=env)
    client_info = types.Implementation(name="agentwire-example", version="0.1")
    async with Client(server, mode="auto", elicitation_callback=ask_user, client_info=client_info) as client:
        print(f"protocol: {client.session.protocol_version}")
        result = await client.call_tool("codex", {"prompt": prompt, "approval-policy": "untrusted"})
        print(result.content[0].text)
        if result.structured_content:
            print(f"sessionId: {result.structured_content['sessionId']}  (continue with the codex-reply tool)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} PROMPT [SERVER COMMAND ...]")
    asyncio.run(main(sys.argv[1], sys.argv[2:] or ["agentwire", "mcp"]))

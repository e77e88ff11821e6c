"""Drives agentwire's conversation resources with the official Python MCP client (`mcp` 2.3.0) in
MCP 2026-07-28, for test/e2e/resources-python-client.spec.ts, and prints one JSON object with what
it saw.

    python resources_scenarios.py MODE WORK_DIR SERVER_COMMAND...

The home (CODEX_HOME) has the mock provider scripted by the spec: a patch then an answer for the
`codex` call, an answer for the `codex-reply`, and one for a second `codex` call. Approval policy
`never`, so no elicitation happens. Warnings the client raises are collected too.
"""

import asyncio
import json
import logging
import os
import sys
import traceback
import warnings

import anyio
import mcp_types as types
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.subscriptions import ResourcesListChanged, ResourceUpdated
from mcp.shared.exceptions import MCPError


class Collect(logging.Handler):
    def __init__(self, found: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        self.found.append(f"log {record.levelname} {record.name}: {record.getMessage()}")


def dump(model) -> object:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def scenarios(mode: str, work: str, command: list[str], out: dict) -> None:
    server = StdioServerParameters(command=command[0], args=command[1:], env={"CODEX_HOME": os.environ["CODEX_HOME"]})
    info = types.Implementation(name="agentwire-python-resources", version="1.0")
    async with Client(server, mode=mode, client_info=info) as client:
        out["protocolVersion"] = client.session.protocol_version
        first = await client.call_tool("codex", {"prompt": "Add a greeting file", "cwd": work})
        out["codex"] = dump(first)
        session_id = (first.structured_content or {}).get("sessionId")
        uri = f"agentwire://conversations/{session_id}"
        out["uri"] = uri
        out["list"] = dump(await client.list_resources())
        out["templates"] = dump(await client.list_resource_templates())
        out["transcript"] = dump(await client.read_resource(f"{uri}/transcript"))
        out["diff"] = dump(await client.read_resource(f"{uri}/diff"))
        try:
            await client.read_resource("agentwire://conversations/00000000-0000-4000-8000-000000000000")
            out["unknownError"] = None
        except MCPError as err:
            out["unknownError"] = {"code": err.error.code, "message": err.error.message}

        async with client.listen(resource_subscriptions=[uri], resources_list_changed=True) as sub:
            out["honored"] = dump(sub.honored)
            reply = await client.call_tool("codex-reply", {"sessionId": session_id, "prompt": "again"})
            out["reply"] = dump(reply)
            other = await client.call_tool("codex", {"prompt": "another one", "cwd": work})
            out["other"] = dump(other)
            seen: list[str] = []
            with anyio.fail_after(10):
                async for event in sub:
                    if isinstance(event, ResourceUpdated):
                        seen.append(f"updated {event.uri}")
                    elif isinstance(event, ResourcesListChanged):
                        seen.append("list_changed")
                    if f"updated {uri}" in seen and "list_changed" in seen:
                        break
            out["events"] = seen
        out["summary"] = json.loads((await client.read_resource(uri)).contents[0].text)


def main() -> None:
    mode, work, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    out: dict = {"warnings": []}
    logging.getLogger().addHandler(Collect(out["warnings"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            asyncio.run(scenarios(mode, work, command, out))
        except BaseException:  # reported to the spec, which fails with it
            out["error"] = traceback.format_exc()
    out["warnings"] += [f"{w.category.__name__}: {w.message}" for w in caught]
    print(json.dumps(out))


if __name__ == "__main__":
    main()

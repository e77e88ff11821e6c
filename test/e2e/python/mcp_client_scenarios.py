"""Drives agentwire with the official Python MCP client (`mcp` 2.3.0) for
test/e2e/mcp-2026-python-client.spec.ts, and prints one JSON object with what it saw.

    python mcp_client_scenarios.py MODE WORK_DIR SERVER_COMMAND...

MODE is the client's `mode`: "auto" (probe with server/discover) or "2026-07-28" (pinned: no
probe, the first request is tools/list).

CODEX_HOME comes from the environment (the spec points it at a home whose model is the mock
provider, scripted for the runs below, in this order). The elicitation callback approves a
command whose approval message mentions "approved" and declines every other one. Warnings the
client raises (Python warnings, and log records at WARNING or above) are collected and printed too,
so the spec can require that there are none.
"""

import asyncio
import json
import logging
import os
import sys
import traceback
import warnings

import mcp_types as types
from mcp import Client
from mcp.client.stdio import StdioServerParameters


class Collect(logging.Handler):
    """Keeps the client's warnings, and the notifications it dropped as unknown (a debug record of
    its session module, whose logger is named "client")."""

    def __init__(self, warnings: list[str], dropped: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.warnings = warnings
        self.dropped = dropped

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            self.warnings.append(f"log {record.levelname} {record.name}: {message}")
        elif record.name == "client" and message.startswith("dropped"):
            self.dropped.append(message)


def dump(model) -> object:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def scenarios(mode: str, work: str, command: list[str], out: dict) -> None:
    elicitations: list[dict] = out["elicitations"]

    async def on_elicit(context, params):
        elicitations.append(dump(params))
        if "approved" in params.message:
            return types.ElicitResult(action="accept", content={"decision": "approved"})
        return types.ElicitResult(action="decline")

    server = StdioServerParameters(command=command[0], args=command[1:], env={"CODEX_HOME": os.environ["CODEX_HOME"]})
    info = types.Implementation(name="agentwire-python-test", version="1.0")
    async with Client(server, mode=mode, elicitation_callback=on_elicit, client_info=info) as client:
        out["protocolVersion"] = client.session.protocol_version
        discovered = client.session.discover_result
        out["discover"] = dump(discovered) if discovered is not None else None
        out["tools"] = [t.name for t in (await client.list_tools()).tools]

        def args(prompt: str) -> dict:
            return {"prompt": prompt, "cwd": work, "approval-policy": "untrusted", "sandbox": "danger-full-access"}

        approved = await client.call_tool("codex", args("make approved.txt"))
        out["approved"] = dump(approved)
        out["approvedFileExists"] = os.path.exists(os.path.join(work, "approved.txt"))

        declined = await client.call_tool("codex", args("make declined.txt"))
        out["declined"] = dump(declined)
        out["declinedFileExists"] = os.path.exists(os.path.join(work, "declined.txt"))

        session_id = (approved.structured_content or {}).get("sessionId")
        reply = await client.call_tool("codex-reply", {"sessionId": session_id, "prompt": "and then?"})
        out["reply"] = dump(reply)


def main() -> None:
    mode, work, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    out: dict = {"elicitations": [], "warnings": [], "droppedNotifications": []}
    logging.getLogger().addHandler(Collect(out["warnings"], out["droppedNotifications"]))
    logging.getLogger("client").setLevel(logging.DEBUG)
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

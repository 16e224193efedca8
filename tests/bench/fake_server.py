"""The fake OpenAI server in a process of its own, so its drawing never competes with the
measured process for the GIL (the real service runs elsewhere too).

Run as a script (`--render fast` for `FakeOpenAIServer(render="fast")`) it starts the server,
prints its base URL, then answers one JSON command per stdin line:
{"cmd": "inject", "fault": ..., "count": ..., "opts": {...}} and {"cmd": "requests"}; each answer
is one JSON line. End of input stops it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import BENCH_DIR


class ServerProcess:
    """`with ServerProcess() as server:` starts the child; `server.base_url` is its address.

    `render="fast"` makes the server answer with pictures drawn once per size, for figures that
    measure the client's throughput rather than what it does with a realistic picture.
    """

    def __init__(self, *, render: str = "full") -> None:
        self._render = render
        self._proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> ServerProcess:
        self._proc = subprocess.Popen(
            [sys.executable, str(BENCH_DIR / "fake_server.py"), "--render", self._render],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.base_url = self._read()["base_url"]
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def inject(self, fault: str, count: int = 1, **opts: Any) -> None:
        self._ask({"cmd": "inject", "fault": fault, "count": count, "opts": opts})

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (Linux /proc; 0 where unavailable)."""
        assert self._proc is not None
        try:
            fields = Path(f"/proc/{self._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def request_count(self) -> int:
        return int(self._ask({"cmd": "requests"})["requests"])

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self._proc is not None
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the fake OpenAI server process ended unexpectedly")
        answer: dict[str, Any] = json.loads(line)
        return answer


def _serve(render: str) -> None:
    from fakes.openai_server import FakeOpenAIServer

    with FakeOpenAIServer(render=render) as server:
        print(json.dumps({"base_url": server.base_url}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            if command["cmd"] == "inject":
                server.inject(command["fault"], command["count"], **command["opts"])
                print(json.dumps({"ok": True}), flush=True)
            else:
                print(json.dumps({"requests": len(server.requests)}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--render", choices=("full", "fast"), default="full")
    _serve(parser.parse_args().render)

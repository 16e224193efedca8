"""Sentinel keys: run the whole flow with recognisable fake keys, then look for them everywhere.

The OpenAI and Stripe keys are fresh random values in the real formats. Every step runs as a
child process under `egress_guard.py` (so any connection off the machine is counted and refused)
against the fake OpenAI and Stripe servers on 127.0.0.1:

- `imgdesk edit` succeeding (variant + JSON sidecar in the export folder), then failing on an
  error body that echoes the Authorization header, a 401 quoting part of the key, server errors
  and rate limiting;
- `imgdesk batch` (history database, image files, export manifest and contact sheet);
- `imgdesk tokens buy` paid on the fake checkout page, `tokens balance` and `tokens history`;
- a process with the crash handler and the log file installed that logs the keys, runs an edit
  against an echoing error, and dies of an uncaught exception (main thread and worker thread)
  whose message carries both keys; the crash report the dialog would show is saved to a file.

Then every file under the run's folder (data dir with databases, WAL files, settings, logs,
blobs, crash report; the export folder with sidecars and manifests) and everything each step
printed is searched for each key: as is, its random part alone, base64 (standard and URL-safe,
at every alignment), hex and UTF-16.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from fakes.openai_server import FakeOpenAIServer
from fakes.stripe_server import FakeStripe, FakeStripeServer, browser_submit
from reliability.egress_guard import EGRESS_LOG_ENV

REPO = Path(__file__).resolve().parents[2]
GUARD = Path(__file__).with_name("egress_guard.py")
STEP_TIMEOUT = 120.0


@dataclass
class SecretFigures:
    secrets_found: int = 0
    leaks: list[str] = field(default_factory=list)
    files_scanned: int = 0
    outputs_scanned: int = 0
    flow_steps: int = 0
    flow_failures: int = 0  # a step that did not end the way it should (the flow is incomplete)
    failures: list[str] = field(default_factory=list)
    egress_violations: int = 0
    egress_log: list[str] = field(default_factory=list)
    egress_guard_selftest: bool = False  # the guard did catch a deliberate outside connection


def needles(key: str) -> dict[str, bytes]:
    """Byte strings that reveal `key`: raw, its random tail, encodings a log or file might hold."""
    raw = key.encode()
    found = {
        "raw": raw,
        "tail": raw[-24:],
        "hex": raw.hex().encode(),
        "utf16": key.encode("utf-16-le"),
    }
    for offset in range(3):
        for name, encode in (("b64", base64.b64encode), ("b64url", base64.urlsafe_b64encode)):
            encoded = encode(b"\0" * offset + raw)
            # Only the characters that depend on nothing but the key's own bytes.
            start = 4 * -(-offset // 3)
            stop = 4 * ((offset + len(raw)) // 3)
            found[f"{name}@{offset}"] = encoded[start:stop]
    return found


def scan(blob: bytes, keys: dict[str, str], where: str) -> list[str]:
    hits = []
    for label, key in keys.items():
        for form, needle in needles(key).items():
            if needle and needle in blob:
                hits.append(f"{label} key ({form}) in {where}")
    return hits


def every_file(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def write_inputs(folder: Path) -> tuple[Path, Path]:
    yy, xx = np.mgrid[0:96, 0:128]
    pixels = np.zeros((96, 128, 3), dtype=np.uint8)
    pixels[..., 0] = xx * 2
    pixels[..., 1] = yy * 2
    photo = folder / "photo.png"
    Image.fromarray(pixels, "RGB").save(photo)
    prompts = folder / "prompts.txt"
    prompts.write_text("a brass lantern\na red kite\n", encoding="utf-8")
    return photo, prompts


_CRASH_SCRIPT = """
import asyncio, logging, os, threading, numpy as np
from pathlib import Path
from imgdesk.core import crash, logs, masks
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.openai_engine import OpenAIEngine
from imgdesk.core.paths import app_paths
from imgdesk.core.pipeline import run_edit

paths = app_paths().ensure()
report = paths.data / "crash-report.txt"
def show(text, log_file):
    with report.open("a", encoding="utf-8") as out:
        out.write(text + "\\n---\\n")
crash.install(paths, show)
openai_key, stripe_key = os.environ["OPENAI_API_KEY"], os.environ["STRIPE_API_KEY"]
log = logs.logger("reliability")
log.info("configured with key %s", openai_key)
log.warning("Authorization: Bearer %s", stripe_key)
log.error("request failed: {'api_key': '%s'}", openai_key)

async def edit():
    image = np.full((64, 64, 4), 200, dtype=np.uint8)
    engine = OpenAIEngine(api_key=openai_key, base_url=os.environ["OPENAI_BASE_URL"], max_retries=0)
    try:
        whole = masks.invert(masks.empty_mask(64, 64))
        async for event in run_edit(image, whole, EditParams("a lantern"), engine):
            log.info("event %r", event)
    finally:
        await engine.aclose()
asyncio.run(edit())

def worker():
    raise ValueError(f"thread died holding {stripe_key}")
thread = threading.Thread(target=worker, name="uploader")
thread.start()
thread.join()
raise RuntimeError(f"unexpected failure with {openai_key} and Authorization: Bearer {stripe_key}")
"""


class Flow:
    def __init__(
        self, root: Path, openai: FakeOpenAIServer, stripe: FakeStripe, keys: dict[str, str]
    ) -> None:
        self.root = root
        self.data = root / "data"
        self.exports = root / "exports"
        self.egress_log = root / "egress.log"
        self.openai = openai
        self.stripe = stripe
        self.outputs: list[tuple[str, bytes]] = []
        self.failures: list[str] = []
        self.steps = 0
        self.env = dict(os.environ)
        self.env.update(
            IMGDESK_DATA_DIR=str(self.data),
            OPENAI_API_KEY=keys["openai"],
            OPENAI_BASE_URL=openai.base_url,
            STRIPE_API_KEY=keys["stripe"],
            IMGDESK_STRIPE_API_BASE=stripe.base_url,
            PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO / "tests")]),
            QT_QPA_PLATFORM="offscreen",
        )
        self.env[EGRESS_LOG_ENV] = str(self.egress_log)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(GUARD), *args]

    def step(self, name: str, args: list[str], expect: int) -> None:
        self.steps += 1
        done = subprocess.run(
            self.command(*args),
            env=self.env,
            capture_output=True,
            timeout=STEP_TIMEOUT,
            cwd=self.root,
            check=False,
        )
        self.outputs.append((f"{name} stdout", done.stdout))
        self.outputs.append((f"{name} stderr", done.stderr))
        if done.returncode != expect:
            tail = done.stderr.decode(errors="replace")[-300:]
            self.failures.append(f"{name}: exit {done.returncode}, expected {expect}: {tail}")

    def edit(self, name: str, expect: int, fault: str | None = None, count: int = 1) -> None:
        if fault:
            self.openai.inject(fault, count)
        photo = self.root / "photo.png"
        self.step(
            name,
            [
                "-m",
                "imgdesk",
                "edit",
                str(photo),
                "--prompt",
                "a brass lantern",
                "--rect",
                "20,20,60,40",
                "--engine",
                "openai",
                "--out",
                str(self.exports),
            ],
            expect,
        )
        self.openai.reset()

    def buy(self) -> None:
        self.steps += 1
        process = subprocess.Popen(
            self.command(
                "-m", "imgdesk", "tokens", "buy", "starter", "--no-browser", "--timeout", "60"
            ),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.root,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.decode().removeprefix("Checkout:").strip()
        try:
            status, _, page = asyncio.run(browser_submit(url))
        except Exception as error:  # the page could not be paid: the step failed
            status, page = 0, repr(error)
        out, err = process.communicate(timeout=STEP_TIMEOUT)
        self.outputs.append(("tokens buy stdout", first + out))
        self.outputs.append(("tokens buy stderr", err))
        self.outputs.append(("checkout return page", page.encode()))
        if status != 200 or process.returncode != 0:
            self.failures.append(
                f"tokens buy: page {status}, exit {process.returncode}: {err[-300:]!r}"
            )

    def run(self) -> None:
        self.exports.mkdir(parents=True)
        write_inputs(self.root)
        # A shop is configured (the Stripe key), so OpenAI edits cost credits: buy a pack first,
        # as a user would; the edits below then also run the metered path with the keys present.
        self.buy()
        self.edit("edit", 0)
        self.edit("edit echoing the Authorization header", 2, "echo_auth")
        self.edit("edit with a refused key", 3, "auth")
        self.edit("edit meeting server errors", 3, "server", count=5)
        self.edit("edit meeting rate limits", 3, "rate_limit", count=5)
        self.step(
            "batch",
            [
                "-m",
                "imgdesk",
                "batch",
                "photo.png",
                "--rect",
                "20,20,60,40",
                "--prompts",
                "prompts.txt",
                "--engine",
                "openai",
                "--out",
                str(self.exports / "batch"),
            ],
            0,
        )
        self.step("tokens balance", ["-m", "imgdesk", "tokens", "balance"], 0)
        self.step("tokens history", ["-m", "imgdesk", "tokens", "history"], 0)
        self.openai.inject("echo_auth", 1)
        self.step("crash", ["-c", _CRASH_SCRIPT], 1)
        if not (self.data / "crash-report.txt").is_file():
            self.failures.append("crash: no crash report was produced")
        if not list((self.data / "logs").glob("imgdesk.log*")):
            self.failures.append("crash: no log file was written")


def egress_selftest(folder: Path) -> bool:
    """The guard must notice (and stop) a connection to a documentation address."""
    log = folder / "selftest-egress.log"
    code = (
        "import socket\n"
        "s = socket.socket(); s.settimeout(2)\n"
        "try:\n    s.connect(('192.0.2.1', 9))\nexcept PermissionError:\n    pass\n"
        "t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen(1)\n"
        "socket.create_connection(t.getsockname(), timeout=2).close()\n"
    )
    env = {**os.environ, EGRESS_LOG_ENV: str(log)}
    script = folder / "selftest.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(GUARD), str(script)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    lines = log.read_text().splitlines() if log.exists() else []
    return done.returncode == 0 and len(lines) == 1 and "192.0.2.1" in lines[0]


def run_sentinel_flow() -> SecretFigures:
    figures = SecretFigures()
    keys = {
        "openai": "sk-proj-SENTINEL" + secrets.token_hex(20),
        "stripe": "sk_test_SENTINEL" + secrets.token_hex(20),
    }
    openai = FakeOpenAIServer().start()
    stripe_server = FakeStripeServer(FakeStripe(api_key=keys["stripe"]))
    stripe = stripe_server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="imgdesk-sentinel-") as tmp:
            root = Path(tmp)
            flow = Flow(root, openai, stripe, keys)
            flow.run()
            figures.flow_steps = flow.steps
            figures.failures = flow.failures
            figures.flow_failures = len(flow.failures)
            for path in every_file(root):
                if path == flow.egress_log:
                    continue
                figures.files_scanned += 1
                where = str(path.relative_to(root))
                figures.leaks.extend(scan(path.read_bytes(), keys, where))
            for where, output in flow.outputs:
                figures.outputs_scanned += 1
                figures.leaks.extend(scan(output, keys, f"output of {where}"))
            if flow.egress_log.exists():
                figures.egress_log = flow.egress_log.read_text().splitlines()[:20]
                figures.egress_violations = len(flow.egress_log.read_text().splitlines())
            figures.egress_guard_selftest = egress_selftest(root)
    finally:
        openai.stop()
        stripe_server.stop()
    figures.secrets_found = len(figures.leaks)
    return figures

"""`imgdesk batch`: prompts × n variants of one photo and mask, through the outbox, headless.

The jobs go into the same persistent queue the editor uses, so an interrupted run (Ctrl+C, a
closed lid, a dropped network) loses nothing: running the same command again finds the jobs by
their batch keys, sends only those not done yet, and exports without rewriting files that are
already there.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

from imgdesk.cli.edit_cmd import build_mask
from imgdesk.cli.exits import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_SERVICE, exit_code_for
from imgdesk.cli.progress import Progress
from imgdesk.core import imageio
from imgdesk.core.account import LocalAccount
from imgdesk.core.batch import BatchSpec, enqueue_batch, export_nodes, read_prompts
from imgdesk.core.catalog import load_catalog, validation_problems
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.factory import make_engine, resolve_engine_name
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.job_meter import AccountMeter, recover_jobs_and_holds
from imgdesk.core.metering import MeteringConfig, is_metered
from imgdesk.core.paths import app_paths
from imgdesk.core.queue_runner import QueueRunner, QueueStatus, RunnerState, tcp_probe
from imgdesk.core.settings import Settings
from imgdesk.core.store import Node, Store

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", metavar="IMAGE", help="the photo to edit")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--mask", metavar="MASK.png", help="mask image: transparent = change; without alpha, white"
    )
    where.add_argument(
        "--rect", metavar="X,Y,W,H", action="append", help="rectangle to change; repeatable"
    )
    parser.add_argument(
        "--prompts",
        required=True,
        metavar="FILE",
        help="a .txt file (one prompt per line) or .csv file (a 'prompt' column, else the first)",
    )
    parser.add_argument("-n", type=int, default=1, help="variants per prompt (default 1)")
    parser.add_argument("--model", help="image model (see `imgdesk models`); default from settings")
    parser.add_argument("--quality", help="low, medium, high or auto")
    parser.add_argument("--size", default="auto", help="request size WxH, or auto (from the mask)")
    parser.add_argument("--engine", choices=("openai", "local"), help="default: openai with a key")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for results + manifest")


def _params(args: argparse.Namespace, settings: Settings, prompt: str) -> EditParams:
    model = args.model or settings.model or load_catalog().default_model
    return EditParams(
        prompt=prompt, model=model, quality=args.quality or settings.quality, size=args.size, n=1
    )


def _base_url(settings: Settings) -> str:
    # The same precedence the engine uses (OPENAI_BASE_URL first): probe the host requests go to.
    return settings.effective_base_url() or DEFAULT_BASE_URL


async def _check_engine(settings: Settings, engine_name: str) -> None:
    """Build the engine once to fail fast (e.g. no key) before anything is queued, then close
    it: the runner builds its own, and an unclosed one would leak its HTTP client."""
    engine = make_engine(settings, engine_name)
    close = getattr(engine, "aclose", None)
    if close is not None:
        await close()


def _unfinished(nodes: list[Node]) -> str | None:
    """Why a batch that did not fully finish stopped, as a sentence (None: nothing to say)."""
    counts = Counter(node.status for node in nodes)
    parts = []
    if counts["failed"]:
        parts.append(f"{counts['failed']} failed (see above; run again to retry them)")
    if counts["cancelled"]:
        parts.append(f"{counts['cancelled']} were cancelled (run again to queue them again)")
    if counts["running"]:
        parts.append(
            f"{counts['running']} are being sent by another imgdesk window or process (run "
            "again when it has finished, or after a minute if it was closed)"
        )
    if counts["queued"]:
        parts.append(f"{counts['queued']} are still queued (run again to send them)")
    if not parts:
        return None
    return f"Not every edit finished: {'; '.join(parts)}."


async def _batch(args: argparse.Namespace, progress: Progress) -> int:
    if args.n < 1 or args.n > 100:
        raise ImgdeskError(ErrorKind.INVALID_REQUEST, "-n must be between 1 and 100.", field="n")
    settings = Settings.load(app_paths().settings_file)
    engine_name = resolve_engine_name(settings, args.engine)
    prompts = read_prompts(Path(args.prompts))
    loaded = await asyncio.to_thread(imageio.load_image, Path(args.image))
    mask = await asyncio.to_thread(build_mask, args, (loaded.width, loaded.height))
    params = _params(args, settings, prompts[0])
    problems = validation_problems(params)
    if problems:
        for problem in problems:
            progress.error(
                f"{problem.field}: {problem.message}" if problem.field else problem.message
            )
        return EXIT_BAD_INPUT
    await _check_engine(settings, engine_name)

    store = await asyncio.to_thread(Store.open)
    config = MeteringConfig.from_settings(settings)
    # Credits are held per job by the queue when a shop is configured (see job_meter.py).
    account = LocalAccount.open() if is_metered(engine_name, config) else None
    try:
        await recover_jobs_and_holds(store, account)
        if store.notice:
            progress.note(store.notice)
        # The photo's own profile goes with it: the crop is sent as sRGB, the exports are tagged.
        spec = BatchSpec(
            loaded.pixels,
            mask,
            tuple(prompts),
            args.n,
            params,
            engine_name,
            icc_profile=loaded.icc_profile,
        )
        queued = await asyncio.to_thread(enqueue_batch, store, spec)
        total = len(queued.node_ids)
        progress.note(
            f"{total} edits ({len(prompts)} prompts × {args.n}): {queued.created} new, "
            f"{queued.reused} from an earlier run"
        )

        def show(status: QueueStatus) -> None:
            progress.stage(f"{status.done}/{total} done · {status.message}")

        runner = QueueRunner(
            store,
            lambda name: make_engine(settings, name),
            concurrency=settings.queue_concurrency,
            scope=queued.node_ids,
            probe=tcp_probe(_base_url(settings)) if engine_name == "openai" else None,
            on_status=show,
            meter=AccountMeter(account, store, config) if account is not None else None,
        )
        try:
            status = await runner.run(until_empty=True)
        finally:
            await runner.aclose()
        progress.done()
        nodes = [store.history.get(node_id) for node_id in queued.node_ids]
        report = await asyncio.to_thread(export_nodes, store, nodes, Path(args.out))
        done = sum(node.status == "done" for node in nodes)
        for wanted, actual in report.renamed:
            progress.note(f"{wanted.name} already holds another picture; wrote {actual.name}")
        for node in nodes:
            if node.status == "failed" and node.error:
                progress.note(f"Failed: “{node.prompt}”: {node.error['message']}")
        progress.note(
            f"{done}/{total} done; {len(report.written)} files written, "
            f"{len(report.unchanged)} already up to date in {args.out}"
        )
        if status.state is RunnerState.PAUSED and status.error is not None:
            progress.error(status.error.message)
            return EXIT_SERVICE
        if done == total:
            return EXIT_OK
        progress.error(_unfinished(nodes) or f"Only {done} of {total} edits finished.")
        return EXIT_SERVICE
    finally:
        store.close()
        if account is not None:
            await account.aclose()


def run(args: argparse.Namespace) -> int:
    progress = Progress(sys.stderr)
    try:
        return asyncio.run(_batch(args, progress))
    except ImgdeskError as error:
        progress.error(error.message)
        return exit_code_for(error)
    except KeyboardInterrupt:
        progress.error("Interrupted. Run the same command again to finish what is missing.")
        return EXIT_INTERRUPTED

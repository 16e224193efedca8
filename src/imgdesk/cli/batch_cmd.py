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

from imgdesk.cli.edit_cmd import add_engine_argument, add_model_arguments, build_mask
from imgdesk.cli.exits import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_SERVICE, exit_code_for
from imgdesk.cli.language import cli_text
from imgdesk.cli.preflight import (
    check_mask_file,
    check_out_folder,
    cli_engine,
    error_text,
    problem_line,
)
from imgdesk.cli.progress import Progress
from imgdesk.core import imageio
from imgdesk.core.account import LocalAccount
from imgdesk.core.batch import BatchSpec, enqueue_batch, export_nodes, read_prompts
from imgdesk.core.catalog import load_catalog, validation_problems
from imgdesk.core.edit_types import EditParams
from imgdesk.core.engines.factory import make_engine, resolve_engine_name
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.job_meter import AccountMeter, recover_jobs_and_holds
from imgdesk.core.metering import MeteringConfig, is_metered
from imgdesk.core.paths import app_paths
from imgdesk.core.queue_runner import QueueRunner, QueueStatus, RunnerState, tcp_probe
from imgdesk.core.settings import Settings
from imgdesk.core.store import Node, Store
from imgdesk.ui.translations import queue_status_text

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "image", metavar="IMAGE", help=cli_text(QT_TRANSLATE_NOOP("cli", "the photo to edit"))
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--mask",
        metavar="MASK.png",
        help=cli_text(
            QT_TRANSLATE_NOOP("cli", "mask image: transparent = change; without alpha, white")
        ),
    )
    where.add_argument(
        "--rect",
        metavar="X,Y,W,H",
        action="append",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "rectangle to change; repeatable")),
    )
    parser.add_argument(
        "--prompts",
        required=True,
        metavar="FILE",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli",
                "a .txt file (one prompt per line) or .csv file (a 'prompt' column, else the "
                "first)",
            )
        ),
    )
    parser.add_argument(
        "-n",
        type=int,
        default=1,
        help=cli_text(QT_TRANSLATE_NOOP("cli", "variants per prompt (default 1)")),
    )
    add_model_arguments(parser)
    add_engine_argument(parser)
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "folder for results + manifest")),
    )


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
    engine = cli_engine(settings, engine_name)
    close = getattr(engine, "aclose", None)
    if close is not None:
        await close()


def _unfinished(nodes: list[Node]) -> str | None:
    """Why a batch that did not fully finish stopped, as a sentence (None: nothing to say)."""
    counts = Counter(node.status for node in nodes)
    parts = []
    if counts["failed"]:
        parts.append(
            cli_text(
                QT_TRANSLATE_NOOP("cli", "{count} failed (see above; run again to retry them)"),
                count=counts["failed"],
            )
        )
    if counts["cancelled"]:
        parts.append(
            cli_text(
                QT_TRANSLATE_NOOP("cli", "{count} were cancelled (run again to queue them again)"),
                count=counts["cancelled"],
            )
        )
    if counts["running"]:
        parts.append(
            cli_text(
                QT_TRANSLATE_NOOP(
                    "cli",
                    "{count} are being sent by another imgdesk window or process (run again "
                    "when it has finished, or after a minute if it was closed)",
                ),
                count=counts["running"],
            )
        )
    if counts["queued"]:
        parts.append(
            cli_text(
                QT_TRANSLATE_NOOP("cli", "{count} are still queued (run again to send them)"),
                count=counts["queued"],
            )
        )
    if not parts:
        return None
    return cli_text(
        QT_TRANSLATE_NOOP("cli", "Not every edit finished: {reasons}."), reasons="; ".join(parts)
    )


async def _batch(args: argparse.Namespace, progress: Progress) -> int:
    if args.n < 1 or args.n > 100:
        raise ImgdeskError(
            ErrorKind.INVALID_REQUEST,
            QT_TRANSLATE_NOOP("errors", "-n must be between 1 and 100."),
            field="n",
        )
    settings = Settings.load(app_paths().settings_file)
    engine_name = resolve_engine_name(settings, args.engine)
    # What the user typed is checked before the photo is read and anything is queued.
    check_out_folder(Path(args.out))
    prompts = read_prompts(Path(args.prompts))
    params = _params(args, settings, prompts[0])
    problems = validation_problems(params)
    if problems:
        for problem in problems:
            progress.error(problem_line(problem))
        return EXIT_BAD_INPUT
    if args.mask:
        check_mask_file(Path(args.mask))
    await _check_engine(settings, engine_name)
    loaded = await asyncio.to_thread(imageio.load_image, Path(args.image))
    mask = await asyncio.to_thread(build_mask, args, (loaded.width, loaded.height))

    store = await asyncio.to_thread(Store.open)
    config = MeteringConfig.from_settings(settings)
    # Credits are held per job by the queue when a shop is configured (see job_meter.py).
    account = LocalAccount.open() if is_metered(engine_name, config) else None
    try:
        await recover_jobs_and_holds(store, account)
        if store.notice:  # made in the user's language
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
            cli_text(
                QT_TRANSLATE_NOOP(
                    "cli",
                    "{total} edits ({prompts} prompts × {n}): {created} new, {reused} from an "
                    "earlier run",
                ),
                total=total,
                prompts=len(prompts),
                n=args.n,
                created=queued.created,
                reused=queued.reused,
            )
        )

        if engine_name == "local":
            # Every prompt gives the same fill: say so before the files look alike. (Imported
            # here: the engine brings OpenCV, which an OpenAI batch never needs.)
            from imgdesk.core.engines.local_engine import NOTICE

            progress.note(translate("notice", NOTICE))

        def show(status: QueueStatus) -> None:
            if status.state is RunnerState.PAUSED and status.error is not None:
                # The window's wording would send a refused key to its Settings.
                text = cli_text(
                    QT_TRANSLATE_NOOP("cli", "Queue paused: {reason}"),
                    reason=error_text(status.error),
                )
            else:
                text = queue_status_text(status)
            progress.stage(
                cli_text(
                    QT_TRANSLATE_NOOP("cli", "{done}/{total} done · {status}"),
                    done=status.done,
                    total=total,
                    status=text,
                )
            )

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
            progress.note(
                cli_text(
                    QT_TRANSLATE_NOOP(
                        "cli", "{wanted} already holds another picture; wrote {actual}"
                    ),
                    wanted=wanted.name,
                    actual=actual.name,
                )
            )
        for node in nodes:
            if node.status == "failed" and node.error:
                # History keeps the English sentence; a fixed one is found in the translation.
                reason = translate("errors", str(node.error["message"]))
                progress.note(
                    cli_text(
                        QT_TRANSLATE_NOOP("cli", "Failed: “{prompt}”: {reason}"),
                        prompt=node.prompt,
                        reason=reason,
                    )
                )
        progress.note(
            cli_text(
                QT_TRANSLATE_NOOP(
                    "cli",
                    "{done}/{total} done; {written} files written, {unchanged} already up to date "
                    "in {folder}",
                ),
                done=done,
                total=total,
                written=len(report.written),
                unchanged=len(report.unchanged),
                folder=args.out,
            )
        )
        if status.state is RunnerState.PAUSED and status.error is not None:
            progress.error(error_text(status.error))
            return EXIT_SERVICE
        if done == total:
            return EXIT_OK
        progress.error(
            _unfinished(nodes)
            or cli_text(
                QT_TRANSLATE_NOOP("cli", "Only {done} of {total} edits finished."),
                done=done,
                total=total,
            )
        )
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
        progress.error(error_text(error))
        return exit_code_for(error)
    except KeyboardInterrupt:
        progress.error(
            cli_text(
                QT_TRANSLATE_NOOP(
                    "cli", "Interrupted. Run the same command again to finish what is missing."
                )
            )
        )
        return EXIT_INTERRUPTED

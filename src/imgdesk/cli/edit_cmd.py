"""`imgdesk edit`: one masked edit from the command line, variants written at full resolution.

Variants keep the photo's own colour space and ICC profile: pixels outside the mask and its feather
are the photo's, bit for bit (only the crop sent to the model goes through sRGB).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from imgdesk.cli.exits import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, exit_code_for
from imgdesk.cli.language import cli_text
from imgdesk.cli.preflight import (
    check_mask_file,
    check_out_folder,
    cli_engine,
    error_text,
    problem_line,
    read_mask_file,
)
from imgdesk.cli.progress import Progress
from imgdesk.core import imageio, masks
from imgdesk.core.account import LocalAccount
from imgdesk.core.batch import recorded_parameters
from imgdesk.core.catalog import load_catalog, validation_problems
from imgdesk.core.edit_charge import charged_edit
from imgdesk.core.edit_types import Box, EditParams, MaskArray
from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.factory import resolve_engine_name
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.metering import MeteringConfig, is_metered
from imgdesk.core.money import format_usd
from imgdesk.core.paths import app_paths
from imgdesk.core.pipeline import Failure, Preview, Result, Stage, internal_error, run_edit
from imgdesk.core.settings import Settings

_RECT_RE = re.compile(r"^\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*$")
WRITING = QT_TRANSLATE_NOOP("cli", "Writing the results…")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "image", metavar="IMAGE", help=cli_text(QT_TRANSLATE_NOOP("cli", "the photo to edit"))
    )
    parser.add_argument(
        "--prompt",
        required=True,
        help=cli_text(QT_TRANSLATE_NOOP("cli", "what should appear in the masked area")),
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--mask",
        metavar="MASK.png",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli",
                "mask image: transparent = change (the API convention); no alpha: white = change",
            )
        ),
    )
    where.add_argument(
        "--rect",
        metavar="X,Y,W,H",
        action="append",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli",
                "rectangle to change, in photo pixels; repeat for several (no mask: whole photo)",
            )
        ),
    )
    add_model_arguments(parser)
    parser.add_argument(
        "-n",
        type=int,
        default=1,
        help=cli_text(QT_TRANSLATE_NOOP("cli", "number of variants, 1 to 10")),
    )
    parser.add_argument(
        "--format", dest="output_format", default="png", choices=("png", "jpeg", "webp")
    )
    parser.add_argument("--background", default="auto", choices=("auto", "opaque", "transparent"))
    parser.add_argument("--input-fidelity", choices=("high", "low"))
    parser.add_argument(
        "--partial-images",
        type=int,
        default=0,
        help=cli_text(QT_TRANSLATE_NOOP("cli", "streamed previews, 0-3 (shown as progress)")),
    )
    add_engine_argument(parser)
    parser.add_argument(
        "--out",
        default=".",
        metavar="DIR",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli", "folder for the results (made if missing; existing files are kept)"
            )
        ),
    )


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """--model, --quality and --size, shared with `imgdesk batch`."""
    parser.add_argument(
        "--model",
        help=cli_text(
            QT_TRANSLATE_NOOP("cli", "image model (see `imgdesk models`); default from settings")
        ),
    )
    parser.add_argument(
        "--quality", help=cli_text(QT_TRANSLATE_NOOP("cli", "low, medium, high or auto"))
    )
    parser.add_argument(
        "--size",
        default="auto",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "request size WxH, or auto (from the mask)")),
    )


def add_engine_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("openai", "local"),
        help=cli_text(QT_TRANSLATE_NOOP("cli", "default: openai with a key")),
    )


def parse_rect(text: str, size: tuple[int, int]) -> Box:
    match = _RECT_RE.match(text)
    if not match:
        raise ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors", "“{text}” is not a rectangle; write X,Y,WIDTH,HEIGHT in photo pixels."
            ),
            field="rect",
            text=text,
        )
    x, y, w, h = (int(v) for v in match.groups())
    box = Box(x, y, min(x + w, size[0]), min(y + h, size[1]))
    if w <= 0 or h <= 0 or box.width <= 0 or box.height <= 0:
        raise ImgdeskError.make(
            ErrorKind.MASK,
            QT_TRANSLATE_NOOP(
                "errors",
                "The rectangle {text} lies outside the {width}x{height} photo or has no area.",
            ),
            field="rect",
            text=text,
            width=size[0],
            height=size[1],
        )
    return box


def build_mask(args: argparse.Namespace, size: tuple[int, int]) -> MaskArray:
    width, height = size
    if args.mask:
        return masks.import_mask_png(read_mask_file(Path(args.mask)), image_size=size)
    if args.rect:
        return masks.from_rects(width, height, [parse_rect(r, size) for r in args.rect])
    return masks.invert(masks.empty_mask(width, height))  # whole-photo edit


def _params(args: argparse.Namespace, settings: Settings, engine_name: str) -> EditParams:
    catalog = load_catalog()
    model = args.model or settings.model or catalog.default_model
    partial = args.partial_images if engine_name == "openai" else 0
    return EditParams(
        prompt=args.prompt,
        model=model,
        quality=args.quality or settings.quality,
        size=args.size,
        n=args.n,
        output_format=args.output_format,
        background=args.background,
        input_fidelity=args.input_fidelity,
        partial_images=partial,
    )


def _unique_stem(out: Path, stem: str, suffix: str) -> Path:
    candidate = out / f"{stem}{suffix}"
    counter = 2
    while candidate.exists() or candidate.with_suffix(".json").exists():
        candidate = out / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate


def _write_results(
    args: argparse.Namespace,
    loaded: imageio.LoadedImage,
    params: EditParams,
    engine: Engine,
    result: Result,
    credits: int | None,
) -> list[Path]:
    out = Path(args.out)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    source = Path(args.image)
    suffix = ".jpg" if params.output_format == "jpeg" else f".{params.output_format}"
    written = []
    for index, pixels in enumerate(result.variants, start=1):
        path = _unique_stem(out, f"{source.stem}-edit-{stamp}-{index}", suffix)
        imageio.save_image(pixels, path, icc_profile=loaded.icc_profile)
        sidecar: dict[str, Any] = {
            "source": str(source.resolve()),
            "variant": index,
            "prompt": params.prompt,
            "parameters": recorded_parameters(asdict(params), engine.name),
            "engine": engine.name,
            "model": params.model if engine.name == "openai" else "opencv-inpaint",
            "crop": list(result.plan.crop.as_tuple()),
            "request_size": result.plan.size_param,
            "size": [int(pixels.shape[1]), int(pixels.shape[0])],
            "usage": asdict(result.usage) if result.usage else None,
            "cost_usd": result.cost.usd if result.cost else None,
            "cost_exact": result.cost.exact if result.cost else None,
            "credits": credits,  # charged for the whole edit when a shop meters it
            "notice": result.notice,
        }
        data = json.dumps(sidecar, indent=2).encode("utf-8")
        from imgdesk.core.atomic import atomic_write_bytes

        atomic_write_bytes(path.with_suffix(".json"), data)
        written.append(path)
    return written


async def _run(
    engine: Engine,
    loaded: imageio.LoadedImage,
    mask: MaskArray,
    params: EditParams,
    progress: Progress,
) -> Result:
    """Drive one edit to its result, showing progress; a failure is raised as its error."""
    events = run_edit(loaded.pixels, mask, params, engine, profile=loaded.profile)
    async with contextlib.aclosing(events):
        async for event in events:
            if isinstance(event, Stage):
                progress.stage(translate("stage", event.text))
            elif isinstance(event, Preview):
                progress.stage(
                    cli_text(
                        QT_TRANSLATE_NOOP("cli", "Preview {number} received…"),
                        number=event.index + 1,
                    )
                )
            elif isinstance(event, Failure):
                raise event.error
            elif isinstance(event, Result):
                return event
    raise internal_error(RuntimeError("the edit ended without a result"))


async def _edit(args: argparse.Namespace, progress: Progress) -> int:
    settings = Settings.load(app_paths().settings_file)
    engine_name = resolve_engine_name(settings, args.engine)
    # Everything the user typed is checked before the photo is read, let alone sent and paid for.
    check_out_folder(Path(args.out))
    params = _params(args, settings, engine_name)
    problems = validation_problems(params)
    if problems:
        for problem in problems:
            progress.error(problem_line(problem))
        return EXIT_BAD_INPUT
    if args.mask:
        check_mask_file(Path(args.mask))
    engine = cli_engine(settings, engine_name)
    account: LocalAccount | None = None
    try:
        loaded = await asyncio.to_thread(imageio.load_image, Path(args.image))
        mask = await asyncio.to_thread(build_mask, args, (loaded.width, loaded.height))
        config = MeteringConfig.from_settings(settings)
        account = LocalAccount.open() if is_metered(engine_name, config) else None
        if account is None:
            result = await _run(engine, loaded, mask, params, progress)
            progress.stage(cli_text(WRITING))
            written = await asyncio.to_thread(
                _write_results, args, loaded, params, engine, result, None
            )
        else:
            # Held before sending; charged only once the results are safely on disk.
            async with charged_edit(account, config, params, mask) as charge:
                result = await _run(engine, loaded, mask, params, progress)
                progress.stage(cli_text(WRITING))
                written = await asyncio.to_thread(
                    _write_results, args, loaded, params, engine, result, charge.cost(result)
                )
                await charge.capture(result)
            progress.note(
                cli_text(
                    QT_TRANSLATE_NOOP("cli", "Charged {charged} credits; {balance} left."),
                    charged=charge.charged,
                    balance=await account.balance(),
                )
            )
    finally:
        close = getattr(engine, "aclose", None)
        if close is not None:
            await close()
        if account is not None:
            await account.aclose()
    progress.done()
    if result.notice:
        progress.note(translate("notice", result.notice))
    for path in written:
        print(path)
    if result.cost:
        if result.cost.exact:
            cost = QT_TRANSLATE_NOOP("cli", "Cost: {price}")
        else:
            cost = QT_TRANSLATE_NOOP("cli", "Cost: about {price}")
        progress.note(cli_text(cost, price=format_usd(result.cost.usd, 3)))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    progress = Progress(sys.stderr)
    try:
        return asyncio.run(_edit(args, progress))
    except ImgdeskError as error:
        progress.error(error_text(error))
        if error.action is Action.BUY_TOKENS:
            progress.note(
                cli_text(
                    QT_TRANSLATE_NOOP(
                        "cli",
                        "Buy more with `imgdesk tokens buy PACK` (see `imgdesk tokens packs`).",
                    )
                )
            )
        return exit_code_for(error)
    except KeyboardInterrupt:
        progress.error(cli_text(QT_TRANSLATE_NOOP("cli", "Cancelled; nothing was written.")))
        return EXIT_INTERRUPTED

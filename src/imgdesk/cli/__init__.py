"""The `imgdesk` command: no subcommand starts the editor; subcommands work headless.

Exit codes: 0 success, 2 bad input (with the reason), 3 the service refused or failed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from imgdesk import __version__
from imgdesk.cli.exits import EXIT_OK
from imgdesk.core.paths import DATA_DIR_ENV

# Subcommand name -> module under imgdesk.cli with add_arguments(parser) and run(args) -> int.
SUBCOMMANDS = {
    "edit": "Edit a photo inside a mask and write the variants to a folder.",
    "models": "List the image models imgdesk knows, with state, sizes and price.",
    "tokens": "Credits: balance, packs on sale, buy a pack, history.",
    "batch": "Queue prompts × variants of one photo and mask, then export results + manifest.",
}


def _subcommand_module(name: str) -> ModuleType:
    return importlib.import_module(f"imgdesk.cli.{name}_cmd")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep all state (history, settings, logs) in DIR; also ${DATA_DIR_ENV}",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imgdesk",
        description="Prompt-driven masked photo edits at full resolution. "
        "Without a subcommand the editor window opens.",
        epilog="subcommands: "
        + "; ".join(f"{name}: {text}" for name, text in SUBCOMMANDS.items())
        + " (imgdesk SUBCOMMAND --help for details)",
    )
    parser.add_argument("--version", action="version", version=f"imgdesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: open the editor window, edit a bundled sample with the "
        "offline engine, exit 0 on success (state goes to a temporary folder unless --data-dir)",
    )
    _add_common(parser)
    parser.add_argument("image", nargs="?", metavar="IMAGE", help="photo to open in the editor")
    return parser


def build_subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"imgdesk {name}", description=SUBCOMMANDS[name])
    _add_common(parser)
    _subcommand_module(name).add_arguments(parser)
    return parser


def _log_to_file() -> None:
    """Headless commands log to the same rotating file as the app; the terminal shows sentences."""
    from imgdesk.core import crash
    from imgdesk.core.errors import ImgdeskError
    from imgdesk.core.paths import app_paths

    try:
        crash.install(app_paths().ensure())
    except ImgdeskError as error:  # an unwritable data folder must not stop a headless edit
        print(f"imgdesk: logging is off: {error.message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # A subcommand is only recognised as the first word, so `imgdesk edit.png` still opens a file.
    if args_list and args_list[0] in SUBCOMMANDS:
        name = args_list.pop(0)
        parser = build_subcommand_parser(name)
        args = parser.parse_args(args_list)
        if args.data_dir:
            os.environ[DATA_DIR_ENV] = args.data_dir
        _log_to_file()
        try:
            result: int = _subcommand_module(name).run(args)
        except BrokenPipeError:
            # `imgdesk models | head`: the reader left; that is not an error worth a traceback.
            sys.stderr.close()
            return EXIT_OK
        return result
    args = build_parser().parse_args(args_list)
    if args.self_test:
        from pathlib import Path

        from imgdesk.selftest import run_self_test

        return run_self_test(Path(args.data_dir) if args.data_dir else None)
    if args.data_dir:
        os.environ[DATA_DIR_ENV] = args.data_dir
    from imgdesk.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(image=args.image)

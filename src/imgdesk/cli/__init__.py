"""The `imgdesk` command: no subcommand starts the editor; subcommands work headless.

Exit codes: 0 success, 2 bad input (with the reason), 3 the service refused or failed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType

from imgdesk import __version__
from imgdesk.cli.exits import EXIT_OK
from imgdesk.cli.language import cli_text, cli_translator, data_dir_argument
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translator_in_effect
from imgdesk.core.paths import DATA_DIR_ENV

# Subcommand name -> module under imgdesk.cli with add_arguments(parser) and run(args) -> int.
SUBCOMMANDS = {
    "edit": QT_TRANSLATE_NOOP(
        "cli", "Edit a photo inside a mask and write the variants to a folder."
    ),
    "models": QT_TRANSLATE_NOOP(
        "cli", "List the image models imgdesk knows, with state, sizes and price."
    ),
    "tokens": QT_TRANSLATE_NOOP("cli", "Credits: balance, packs on sale, buy a pack, history."),
    "batch": QT_TRANSLATE_NOOP(
        "cli", "Queue prompts × variants of one photo and mask, then export results + manifest."
    ),
}


def _subcommand_module(name: str) -> ModuleType:
    return importlib.import_module(f"imgdesk.cli.{name}_cmd")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help())


def data_dir_help() -> str:
    return cli_text(
        QT_TRANSLATE_NOOP("cli", "keep all state (history, settings, logs) in DIR; also ${env}"),
        env=DATA_DIR_ENV,
    )


def subcommands_epilog() -> str:
    """The subcommands, one to a line: each summary is a sentence of its own."""
    width = max(len(name) for name in SUBCOMMANDS)
    lines = [f"  {name:<{width}}  {cli_text(text)}" for name, text in SUBCOMMANDS.items()]
    heading = cli_text(
        QT_TRANSLATE_NOOP("cli", "Subcommands (imgdesk SUBCOMMAND --help for details):")
    )
    return "\n".join([heading, *lines])


def build_parser() -> argparse.ArgumentParser:
    description = cli_text(
        QT_TRANSLATE_NOOP(
            "cli",
            "Prompt-driven masked photo edits at full resolution. "
            "Without a subcommand the editor window opens.",
        )
    )
    parser = argparse.ArgumentParser(
        prog="imgdesk",
        # Raw, so the subcommand list keeps its lines; the description is wrapped here instead.
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(description, width=78),
        epilog=subcommands_epilog(),
    )
    parser.add_argument("--version", action="version", version=f"imgdesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=cli_text(
            QT_TRANSLATE_NOOP(
                "cli",
                "check this installation: open the editor window, edit a bundled sample with the "
                "offline engine, exit 0 on success (state goes to a temporary folder unless "
                "--data-dir)",
            )
        ),
    )
    _add_common(parser)
    parser.add_argument(
        "image",
        nargs="?",
        metavar="IMAGE",
        help=cli_text(QT_TRANSLATE_NOOP("cli", "photo to open in the editor")),
    )
    return parser


def build_subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"imgdesk {name}", description=cli_text(SUBCOMMANDS[name])
    )
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
        reason = error.localized()
        print(
            "imgdesk: "
            + cli_text(QT_TRANSLATE_NOOP("cli", "logging is off: {reason}"), reason=reason),
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # In the user's language from the first help line on; put back afterwards, as a caller
    # (a test, the self-test) may have its own translator.
    with translator_in_effect(cli_translator(data_dir_argument(args_list))):
        return _main(args_list)


def _main(args_list: list[str]) -> int:
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

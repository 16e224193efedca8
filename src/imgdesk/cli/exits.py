"""Exit statuses of every `imgdesk` command, and which errors count as the user's input."""

from __future__ import annotations

from imgdesk.core.errors import ErrorKind, ImgdeskError

EXIT_OK = 0
EXIT_BAD_INPUT = 2  # what the user typed or supplied is wrong; the reason is printed
EXIT_SERVICE = 3  # the service refused or failed; the reason is printed
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT

# Errors caused by what the user typed or supplied, as opposed to the service refusing or failing.
BAD_INPUT_KINDS = frozenset(
    {
        ErrorKind.IMAGE,
        ErrorKind.MASK,
        ErrorKind.INVALID_REQUEST,
        ErrorKind.STORAGE,
        ErrorKind.CONFIG,
    }
)


def exit_code_for(error: ImgdeskError) -> int:
    return EXIT_BAD_INPUT if error.kind in BAD_INPUT_KINDS else EXIT_SERVICE

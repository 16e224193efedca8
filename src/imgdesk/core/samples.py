"""The sample photos bundled with imgdesk, for the welcome screen and `--self-test`.

They ship inside the package (`imgdesk/data/samples/`), so the same lookup finds them in a source
checkout, an editable install, a wheel and a PyInstaller bundle that collects imgdesk's data files.
`scripts/make_samples.py` paints them; `resources/samples/README.md` says how and under what terms.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE_SUFFIXES = (".jpg", ".jpeg", ".png")


def samples_dir() -> Path | None:
    """The folder holding the samples, or None when this installation has none."""
    folder = resources.files("imgdesk.data").joinpath("samples")
    # Installed from a zip the folder is no real path; imgdesk is never installed that way, and
    # an editor needs real files to open, so treat that like "no samples" rather than extract.
    if not isinstance(folder, Path) or not folder.is_dir():
        return None
    return folder


def sample_paths() -> list[Path]:
    """The bundled sample photos, sorted by file name; empty if they were not installed."""
    folder = samples_dir()
    if folder is None:
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in SAMPLE_SUFFIXES
    )

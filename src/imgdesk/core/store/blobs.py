"""Content-addressed image files: `blobs/ab/<sha256>`, thumbnails in `blobs/thumbs/`.

A blob's name is the SHA-256 of its bytes, so writing the same picture twice stores it once and a
file can be checked against its name. Images are stored as lossless PNG (documents as RGBA, masks
as 8-bit grey); a document's PNG embeds its ICC profile, unconverted, so the colour space travels
with the pixels through the queue. Reference images keep the bytes they were given. Every write
goes through a temp file, fsync and rename (`core/atomic.py`), so a crash leaves either the whole
file or none.

Which blobs are still needed is decided by the database (see `Store.delete_nodes` and
`Store.sweep`); this class only reads, writes and removes files. The writer is injectable so tests
can make the disk "full" without a tiny filesystem.

Grace rule: a blob is written *before* the row that references it commits. A process that dies in
between leaves an unreferenced file; the start-up sweep removes unreferenced files only when they
are older than `GRACE_SECONDS`, so a file another live process has just written (and is about to
reference) is never taken. `put` refreshes the modification time of a blob that already exists
for the same reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from imgdesk.core import imageio
from imgdesk.core.atomic import atomic_write_bytes, storage_error
from imgdesk.core.edit_types import MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
from imgdesk.core.imageio import LoadedImage

GRACE_SECONDS = 15 * 60
THUMB_SIDE = 256
Writer = Callable[[Path, bytes], None]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pixel_digest(pixels: npt.NDArray[np.uint8]) -> str:
    """A hash of the pixels themselves (shape included), independent of any PNG encoder."""
    h = hashlib.sha256(repr(pixels.shape).encode() + str(pixels.dtype).encode())
    h.update(np.ascontiguousarray(pixels).tobytes())
    return h.hexdigest()


def _is_hash(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class BlobStore:
    def __init__(self, root: Path, *, writer: Writer = atomic_write_bytes) -> None:
        self.root = Path(root)
        self.thumbs = self.root / "thumbs"
        self._writer = writer

    def path(self, hash_: str) -> Path:
        if not _is_hash(hash_):
            raise ValueError(f"not a blob name: {hash_!r}")
        return self.root / hash_[:2] / hash_

    def thumb_path(self, hash_: str, side: int = THUMB_SIDE) -> Path:
        return self.thumbs / hash_[:2] / f"{hash_}-{side}.png"

    # --- writing -------------------------------------------------------------------------------

    def put(self, data: bytes) -> str:
        return self.put_checked(data)[0]

    def put_checked(self, data: bytes) -> tuple[str, bool]:
        """Like `put`; also says whether this call created the file (False: it was there)."""
        hash_ = digest(data)
        path = self.path(hash_)
        if path.exists():
            # Re-touch: protects the file from a concurrent sweep's grace check (see above).
            with contextlib.suppress(OSError):
                os.utime(path)
            return hash_, False
        try:
            self._writer(path, data)
        except OSError as error:  # a writer that did not translate its own failure
            raise storage_error(error, path) from error
        return hash_, True

    def put_image(self, pixels: RGBAArray, icc_profile: bytes | None = None) -> str:
        """Store pixels as PNG; `icc_profile` (the colour space they are in, None = sRGB) is
        embedded without converting, so the blob itself says how to read its pixels."""
        return self.put(imageio.encode_png(pixels, icc_profile=icc_profile))

    def put_mask(self, mask: MaskArray) -> str:
        out = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(mask), "L").save(out, "PNG", compress_level=1)
        return self.put(out.getvalue())

    # --- reading -------------------------------------------------------------------------------

    def read(self, hash_: str) -> bytes:
        path = self.path(hash_)
        try:
            return path.read_bytes()
        except FileNotFoundError as error:
            raise ImgdeskError(
                ErrorKind.STORAGE,
                QT_TRANSLATE_NOOP(
                    "errors", "A picture from the history is missing from the data folder."
                ),
                detail=f"blob {hash_} not found",
            ) from error
        except OSError as error:
            raise storage_error(error, path) from error

    def read_image(self, hash_: str) -> RGBAArray:
        """The blob's pixels as stored, in its own colour space (see `read_loaded`)."""
        return self.read_loaded(hash_).pixels

    def read_loaded(self, hash_: str) -> LoadedImage:
        """The blob's pixels and the ICC profile they are in (None = sRGB), unconverted."""
        return imageio.load_image(self.read(hash_))

    def read_mask(self, hash_: str) -> MaskArray:
        with Image.open(io.BytesIO(self.read(hash_))) as image:
            return np.asarray(image.convert("L"), dtype=np.uint8).copy()

    def thumbnail(self, hash_: str, side: int = THUMB_SIDE) -> Path:
        """A PNG no larger than side x side, made on first use and kept."""
        target = self.thumb_path(hash_, side)
        if target.exists():
            return target
        with Image.open(io.BytesIO(self.read(hash_))) as image:
            image.thumbnail((side, side))
            out = io.BytesIO()
            image.save(out, "PNG")
        # A thumbnail can always be made again; no need to wait for the disk.
        atomic_write_bytes(target, out.getvalue(), fsync=False)
        return target

    # --- removing ------------------------------------------------------------------------------

    def remove(self, hash_: str, *, unless_touched_since: float | None = None) -> bool:
        """Delete a blob and its thumbnails; skip one re-written after `unless_touched_since`."""
        path = self.path(hash_)
        try:
            if unless_touched_since is not None and path.stat().st_mtime > unless_touched_since:
                return False
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise storage_error(error, path) from error
        folder = self.thumbs / hash_[:2]
        if folder.is_dir():
            for thumb in folder.glob(f"{hash_}-*.png"):
                with contextlib.suppress(OSError):
                    thumb.unlink()
        return True

    def names(self) -> Iterator[str]:
        """Every blob on disk (thumbnails and temp files excluded)."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and len(folder.name) == 2:
                for item in folder.iterdir():
                    if _is_hash(item.name):
                        yield item.name

    def sweep(self, referenced: set[str], *, grace: float = GRACE_SECONDS) -> list[str]:
        """Remove unreferenced blobs and stale temp files older than `grace` seconds."""
        cutoff = time.time() - grace
        removed = []
        for name in list(self.names()):
            if name in referenced:
                continue
            try:
                if self.path(name).stat().st_mtime < cutoff and self.remove(
                    name, unless_touched_since=cutoff
                ):
                    removed.append(name)
            except OSError:
                continue
        for temp in self.root.glob("*/.*.tmp"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
        return removed

"""History and outbox on disk: one SQLite database plus a folder of content-addressed images.

`Store.open()` is the one way in: it opens (or creates, migrates, or recovers) the database under
the data folder and gives access to `history` (the node tree), `jobs` (the outbox) and `blobs`
(image files). `core` only; the Qt models wrap it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from imgdesk.core import imageio
from imgdesk.core.edit_types import MaskArray, Reference, RGBAArray, Usage
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.core.store.blobs import GRACE_SECONDS, BlobStore, Writer, digest
from imgdesk.core.store.db import Database
from imgdesk.core.store.history import STATUSES, History, Node, NodeFilter
from imgdesk.core.store.jobs import Enqueued, Jobs, NewJob

__all__ = [
    "STATUSES",
    "BlobStore",
    "Enqueued",
    "History",
    "JobInputs",
    "Jobs",
    "NewJob",
    "Node",
    "NodeFilter",
    "Store",
]

log = logging.getLogger("imgdesk.store")


@dataclass(frozen=True)
class JobInputs:
    """A job's inputs read back from the blob folder, ready for `run_edit`."""

    image: RGBAArray  # in `icc_profile`'s colour space, as the document holds it
    mask: MaskArray
    references: tuple[Reference, ...]
    icc_profile: bytes | None = None  # the image blob's embedded profile; None = sRGB


@dataclass
class _Pending:
    """A result blob written by running jobs of this process and not recorded yet."""

    holders: set[str]  # the jobs that wrote it and have not recorded or discarded it yet
    created: bool  # one of those writes created the file (else it was there already)
    written: float  # when the last of those writes finished


class Store:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.db = db
        self.blobs = blobs
        self.history = History(db, blobs)
        self.jobs = Jobs(db)
        # Results written but not recorded yet: `discard_blobs` must not take a file another
        # running job wrote with the same bytes (the local engine gives identical variants).
        self._pending: dict[str, _Pending] = {}
        self._pending_lock = threading.RLock()

    @classmethod
    def open(
        cls,
        paths: AppPaths | None = None,
        *,
        writer: Writer | None = None,
        sweep: bool = True,
    ) -> Store:
        """Open the store in the data folder; `sweep` removes orphans past the grace period."""
        paths = paths or app_paths()
        db = Database(paths.database)
        blobs = BlobStore(paths.blobs) if writer is None else BlobStore(paths.blobs, writer=writer)
        store = cls(db, blobs)
        if sweep:
            store.sweep()
        return store

    @property
    def notice(self) -> str | None:
        """A sentence for the user when the database had to be replaced at start-up."""
        return self.db.notice

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- inputs --------------------------------------------------------------------------------

    def put_inputs(
        self,
        image: RGBAArray,
        mask: MaskArray,
        references: Sequence[Reference] = (),
        *,
        icc_profile: bytes | None = None,
    ) -> tuple[str, str, tuple[str, ...]]:
        """Store a job's inputs as blobs (before its row is written); returns their hashes.

        `icc_profile` is the colour space `image` is in (the document's); it is embedded in the
        image blob, so the runner can send the crop as sRGB and store results in that space."""
        return (
            self.blobs.put_image(image, icc_profile),
            self.blobs.put_mask(mask),
            tuple(self.blobs.put(ref.data) for ref in references),
        )

    def load_inputs(self, node: Node) -> JobInputs:
        if node.image is None or node.mask is None:
            raise ValueError(f"node {node.id} has no inputs")
        meta = node.params.get("references", [])
        references = tuple(
            Reference(
                name=meta[i]["name"] if i < len(meta) else f"reference-{i + 1}.png",
                data=self.blobs.read(hash_),
                mime=meta[i]["mime"] if i < len(meta) else "image/png",
            )
            for i, hash_ in enumerate(node.references)
        )
        loaded = self.blobs.read_loaded(node.image)
        return JobInputs(
            loaded.pixels, self.blobs.read_mask(node.mask), references, loaded.icc_profile
        )

    # --- results -------------------------------------------------------------------------------

    def put_result(
        self, pixels: RGBAArray, holder: str, *, icc_profile: bytes | None = None
    ) -> str:
        """Write one result of the running job `holder` (its node id). The blob stays pending,
        safe from other jobs' `discard_blobs`, until `complete_job` records it or the holder's
        own `discard_blobs` gives it up. `icc_profile` (the job's input profile: results are
        composited in the document's colour space) is embedded unconverted."""
        data = imageio.encode_png(pixels, icc_profile=icc_profile)
        hash_ = digest(data)
        with self._pending_lock:  # registered before the file exists: no window for a discard
            entry = self._pending.setdefault(hash_, _Pending(set(), False, 0.0))
            entry.holders.add(holder)
        try:
            _, created = self.blobs.put_checked(data)
        except BaseException:
            self._release([hash_], holder)
            raise
        with self._pending_lock:
            entry.created = entry.created or created
            entry.written = time.time()
        return hash_

    def complete_job(
        self,
        node_id: str,
        owner: str,
        outputs: Sequence[str],
        *,
        usage: Usage | None,
        cost_usd: float | None,
        cost_exact: bool | None,
        notice: str | None,
    ) -> bool:
        """`Jobs.complete` for results written by `put_result(..., holder=node_id)`. Once
        recorded they are no longer pending; on False the caller gives them up with
        `discard_blobs(outputs, holder=node_id)`."""
        recorded = self.jobs.complete(
            node_id,
            owner,
            outputs,
            usage=usage,
            cost_usd=cost_usd,
            cost_exact=cost_exact,
            notice=notice,
        )
        if recorded:
            self._release(outputs, node_id)
        return recorded

    def _release(self, hashes: Iterable[str], holder: str) -> dict[str, _Pending]:
        """Drop `holder`'s hold on each hash (again is harmless); returns the entries nobody
        holds any more."""
        freed: dict[str, _Pending] = {}
        with self._pending_lock:
            for hash_ in hashes:
                entry = self._pending.get(hash_)
                if entry is None:
                    continue
                entry.holders.discard(holder)
                if not entry.holders:
                    freed[hash_] = self._pending.pop(hash_)
        return freed

    # --- housekeeping --------------------------------------------------------------------------

    def discard_blobs(
        self, hashes: Iterable[str], holder: str | None = None, *, grace: float = GRACE_SECONDS
    ) -> list[str]:
        """Give up blobs that turned out not to be needed (the results of a cancelled job).

        Another running job may have written the very same bytes and not recorded them yet (the
        local engine gives identical variants), so a file goes only when no node references it
        and either
        - `holder` wrote it with `put_result`, no other job of this process still holds it,
          this process created the file (it was not there for someone else) and no other
          process re-wrote it since (the `put` re-touch, as in `History.delete`); or
        - nobody here holds it and it is older than `grace`, the start-up sweep's rule.
        Anything else stays for the next start-up sweep.
        """
        removed = []
        cutoff = time.time() - grace
        # Held while removing: a job putting the same bytes now waits, then writes them afresh.
        with self._pending_lock:
            hashes = set(hashes)
            freed = self._release(hashes, holder) if holder is not None else {}
            unheld = {h for h in hashes if h not in self._pending and h not in freed}
            for hash_ in sorted(self.history.unreferenced(hashes)):
                entry = freed.get(hash_)
                if entry is not None:
                    since = entry.written if entry.created else None
                elif hash_ in unheld:
                    since = cutoff
                else:
                    continue
                if since is not None and self.blobs.remove(hash_, unless_touched_since=since):
                    removed.append(hash_)
        return removed

    def sweep(self, *, grace: float = GRACE_SECONDS) -> list[str]:
        """Remove files no node references that are older than the grace period."""
        removed = self.blobs.sweep(self.history.referenced_blobs(), grace=grace)
        if removed:
            log.info("removed %d unreferenced image files", len(removed))
        return removed

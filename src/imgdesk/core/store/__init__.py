"""History and outbox on disk: one SQLite database plus a folder of content-addressed images.

`Store.open()` is the one way in: it opens (or creates, migrates, or recovers) the database under
the data folder and gives access to `history` (the node tree), `jobs` (the outbox) and `blobs`
(image files). `core` only; the Qt models wrap it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from imgdesk.core.edit_types import MaskArray, Reference, RGBAArray
from imgdesk.core.paths import AppPaths, app_paths
from imgdesk.core.store.blobs import GRACE_SECONDS, BlobStore, Writer
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

    image: RGBAArray
    mask: MaskArray
    references: tuple[Reference, ...]


class Store:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.db = db
        self.blobs = blobs
        self.history = History(db, blobs)
        self.jobs = Jobs(db)

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
        self, image: RGBAArray, mask: MaskArray, references: Sequence[Reference] = ()
    ) -> tuple[str, str, tuple[str, ...]]:
        """Store a job's inputs as blobs (before its row is written); returns their hashes."""
        return (
            self.blobs.put_image(image),
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
        return JobInputs(
            self.blobs.read_image(node.image), self.blobs.read_mask(node.mask), references
        )

    # --- housekeeping --------------------------------------------------------------------------

    def discard_blobs(self, hashes: Iterable[str]) -> list[str]:
        """Remove blobs that turned out not to be needed (e.g. results of a cancelled job)."""
        referenced = self.history.referenced_blobs()
        removed = []
        for hash_ in set(hashes) - referenced:
            if self.blobs.remove(hash_):
                removed.append(hash_)
        return removed

    def sweep(self, *, grace: float = GRACE_SECONDS) -> list[str]:
        """Remove files no node references that are older than the grace period."""
        removed = self.blobs.sweep(self.history.referenced_blobs(), grace=grace)
        if removed:
            log.info("removed %d unreferenced image files", len(removed))
        return removed

"""Decoded job inputs shared by the queued jobs that use the same blobs.

The jobs of a batch name the same photo, mask and reference blobs; decoding the photo's PNG for
each of them (tens of milliseconds for a large photo, and a copy of its pixels each) is work the
queue does not need to repeat. Blobs are content addressed, so their hashes are the key, and the
pixels handed out are read-only: every job sees exactly what the blobs hold.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from imgdesk.core.store import JobInputs, Node, Store

InputKey = tuple[str, str, tuple[str, ...], str]


def input_key(node: Node) -> InputKey:
    """What decides a job's inputs: its blobs' hashes and the references' names and types."""
    if node.image is None or node.mask is None:
        raise ValueError(f"node {node.id} has no inputs")
    meta = json.dumps(node.params.get("references", []), sort_keys=True)
    return node.image, node.mask, tuple(node.references), meta


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    inputs: JobInputs | None = None


class InputCache:
    """The inputs of the last `capacity` distinct jobs; safe to use from worker threads."""

    def __init__(self, store: Store, capacity: int = 2) -> None:
        self._store = store
        self._capacity = max(1, capacity)
        self._slots: OrderedDict[InputKey, _Slot] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for slot in self._slots.values() if slot.inputs is not None)

    def clear(self) -> None:
        """Forget every entry (the queue is idle: a large photo's pixels need not stay)."""
        with self._lock:
            self._slots.clear()

    def load(self, node: Node) -> JobInputs:
        """`Store.load_inputs(node)`, decoded once for every job with the same inputs."""
        key = input_key(node)
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
                while len(self._slots) > self._capacity:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(key)
        with slot.lock:  # jobs arriving together wait for one decode
            if slot.inputs is None:
                inputs = self._store.load_inputs(node)
                # Shared by every job with this key: nobody may change them in place.
                inputs.image.flags.writeable = False
                inputs.mask.flags.writeable = False
                slot.inputs = inputs
            return slot.inputs

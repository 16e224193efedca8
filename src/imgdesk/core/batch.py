"""Batch variants: many prompts times n variants from one document and mask, and their export.

Each (prompt, variant) is one job in the outbox, keyed by a deterministic *batch key* (hashes of
the pixels and the mask, the prompt, the parameters, the engine and the variant number). Queuing
the same batch again finds the existing jobs instead of adding new ones, so rerunning an
interrupted `imgdesk batch` only sends what is missing and never records a result twice.

Export writes full-resolution PNGs with readable names (`<prompt-slug>-<nn>.png`), a manifest as
CSV and JSON, and a contact sheet. Every file is written atomically and skipped when a file with
the same content is already there, so exporting twice writes nothing new.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.edit_types import EditParams, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.store import NewJob, Node, Store
from imgdesk.core.store.blobs import digest, pixel_digest

MAX_PROMPTS = 1000
MANIFEST_FIELDS = (
    "file",
    "prompt",
    "variant",
    "parameters",
    "engine",
    "model",
    "cost_usd",
    "node_id",
    "sha256",
)
CONTACT_THUMB = 256
_CAPTION_HEIGHT = 34


# --- prompts ---------------------------------------------------------------------------------


def parse_prompts(text: str, *, as_csv: bool = False) -> list[str]:
    """One prompt per line (blank lines and lines starting with # skipped); or, for CSV, the
    `prompt` column when the header has one, else the first column."""
    if not as_csv:
        lines = (line.strip() for line in text.splitlines())
        return [line for line in lines if line and not line.startswith("#")]
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("prompt") if "prompt" in header else 0
    body = rows[1:] if "prompt" in header else rows
    prompts = (row[column].strip() if column < len(row) else "" for row in body)
    return [p for p in prompts if p and not p.startswith("#")]


def read_prompts(path: Path) -> list[str]:
    """Prompts from a .txt or .csv file, with a sentence for each way that can go wrong."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise _prompt_error(f"The prompt file {path} does not exist.") from error
    except IsADirectoryError as error:
        raise _prompt_error(f"{path} is a folder; give a .txt or .csv file of prompts.") from error
    except OSError as error:
        raise _prompt_error(f"The prompt file {path} cannot be read: {error.strerror}.") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _prompt_error(
            f"The prompt file {path.name} is not UTF-8 text. Save it as UTF-8 and try again."
        ) from error
    if "\x00" in text:
        raise _prompt_error(f"{path.name} is not a text file; give a .txt or .csv file of prompts.")
    try:
        prompts = parse_prompts(text, as_csv=path.suffix.lower() == ".csv")
    except csv.Error as error:
        raise _prompt_error(f"{path.name} is not a readable CSV file: {error}.") from error
    if not prompts:
        raise _prompt_error(f"{path.name} has no prompts (blank lines and # comments are skipped).")
    if len(prompts) > MAX_PROMPTS:
        raise _prompt_error(
            f"{path.name} has {len(prompts)} prompts; a batch takes at most {MAX_PROMPTS}."
        )
    return prompts


def _prompt_error(message: str) -> ImgdeskError:
    return ImgdeskError(ErrorKind.INVALID_REQUEST, message, field="prompts")


# --- queuing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSpec:
    image: RGBAArray
    mask: MaskArray
    prompts: tuple[str, ...]
    n: int  # variants per prompt; each is its own job
    params: EditParams  # everything but the prompt; n is forced to 1 per job
    engine: str
    parent: str | None = None  # the history node the document came from, if any


@dataclass(frozen=True)
class QueuedBatch:
    batch_id: str
    node_ids: tuple[str, ...]  # in prompt order, then variant order
    created: int  # jobs added now
    reused: int  # jobs that existed from an earlier run
    retried: int  # earlier failed or cancelled jobs queued again


def _params_key(params: EditParams) -> str:
    values = dataclasses.asdict(dataclasses.replace(params, prompt="", n=1))
    return json.dumps(values, sort_keys=True)


def batch_key(
    image_digest: str, mask_digest: str, prompt: str, params: EditParams, engine: str, variant: int
) -> str:
    text = json.dumps(
        [image_digest, mask_digest, prompt, _params_key(params), engine, variant], sort_keys=True
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def enqueue_batch(store: Store, spec: BatchSpec) -> QueuedBatch:
    """Queue every (prompt, variant) not queued before; queue failed ones again."""
    image_digest, mask_digest = pixel_digest(spec.image), pixel_digest(spec.mask)
    batch_id = hashlib.sha256(
        json.dumps(
            [
                image_digest,
                mask_digest,
                list(spec.prompts),
                spec.n,
                _params_key(spec.params),
                spec.engine,
            ]
        ).encode()
    ).hexdigest()[:16]
    keys = [
        (
            prompt,
            variant,
            batch_key(image_digest, mask_digest, prompt, spec.params, spec.engine, variant),
        )
        for prompt in spec.prompts
        for variant in range(spec.n)
    ]
    existing = store.jobs.by_batch_key([key for _, _, key in keys])
    stored: tuple[str, str, tuple[str, ...]] | None = None
    node_ids: list[str] = []
    created = 0
    for prompt, variant, key in keys:
        if key in existing:
            node_ids.append(existing[key])
            continue
        if stored is None:  # inputs become blobs before the first job row is written
            stored = store.put_inputs(spec.image, spec.mask)
        image, mask, _ = stored
        result = store.jobs.enqueue(
            NewJob(
                image=image,
                mask=mask,
                params=dataclasses.replace(spec.params, prompt=prompt, n=1),
                engine=spec.engine,
                parent=spec.parent,
                batch=batch_id,
                batch_key=key,
                variant=variant,
            )
        )
        created += result.created
        node_ids.append(result.node_id)
    earlier = set(existing.values())
    retried = store.jobs.retry([node_id for node_id in node_ids if node_id in earlier])
    return QueuedBatch(batch_id, tuple(node_ids), created, len(node_ids) - created, len(retried))


# --- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportReport:
    written: tuple[Path, ...]  # files created or changed
    unchanged: tuple[Path, ...]  # already there with the same content
    entries: tuple[dict[str, Any], ...]  # the manifest rows


def slug(text: str, max_length: int = 48) -> str:
    """A file-name-safe, readable version of a prompt: lower case ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0] or words[:max_length]
    return words or "edit"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write `data` unless `path` already holds exactly it; True if written."""
    try:
        if path.is_file() and digest(path.read_bytes()) == digest(data):
            return False
    except OSError:
        pass
    atomic_write_bytes(path, data)
    return True


def export_nodes(
    store: Store, nodes: Sequence[Node], out: Path, *, starred_only: bool = False
) -> ExportReport:
    """Write every result of `nodes` (done ones; only starred when asked) into `out`."""
    chosen = [
        n for n in nodes if n.status == "done" and n.outputs and (n.starred or not starred_only)
    ]
    planned: list[tuple[str, Node, int, str]] = []  # (file name, node, output index, hash)
    taken: set[str] = set()
    for node in chosen:
        for index, hash_ in enumerate(node.outputs):
            number = (node.variant if node.variant is not None else 0) + index + 1
            name = f"{slug(node.prompt)}-{number:02d}.png"
            if name in taken:
                name = f"{slug(node.prompt)}-{number:02d}-{node.id[:8]}.png"
            taken.add(name)
            planned.append((name, node, index, hash_))
    written: list[Path] = []
    unchanged: list[Path] = []
    entries: list[dict[str, Any]] = []
    for name, node, index, hash_ in planned:
        path = out / name
        (written if write_if_changed(path, store.blobs.read(hash_)) else unchanged).append(path)
        parameters = {k: v for k, v in node.params.items() if k != "prompt"}
        entries.append(
            {
                "file": name,
                "prompt": node.prompt,
                "variant": (node.variant or 0) + index + 1,
                "parameters": parameters,
                "engine": node.engine,
                "model": node.model,
                "cost_usd": node.cost_usd,
                "node_id": node.id,
                "sha256": hash_,
            }
        )
    extras = {
        out / "manifest.json": (json.dumps(entries, indent=2, sort_keys=True) + "\n").encode(),
        out / "manifest.csv": _manifest_csv(entries),
        out / "contact_sheet.png": contact_sheet(
            store, [(hash_, name) for name, _, _, hash_ in planned]
        ),
    }
    for path, data in extras.items():
        (written if write_if_changed(path, data) else unchanged).append(path)
    return ExportReport(tuple(written), tuple(unchanged), tuple(entries))


def _manifest_csv(entries: Sequence[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = dict(entry)
        row["parameters"] = json.dumps(entry["parameters"], sort_keys=True)
        row["cost_usd"] = "" if entry["cost_usd"] is None else f"{entry['cost_usd']:.6f}"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def contact_sheet(store: Store, items: Sequence[tuple[str, str]]) -> bytes:
    """A grid of thumbnails, each captioned with its file name, as PNG bytes."""
    columns = max(1, min(6, math.ceil(math.sqrt(len(items))))) if items else 1
    rows = max(1, math.ceil(len(items) / columns))
    cell_w, cell_h = CONTACT_THUMB + 16, CONTACT_THUMB + _CAPTION_HEIGHT + 16
    sheet = Image.new("RGB", (columns * cell_w, rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for position, (hash_, caption) in enumerate(items):
        x0 = (position % columns) * cell_w + 8
        y0 = (position // columns) * cell_h + 8
        with Image.open(store.blobs.thumbnail(hash_, CONTACT_THUMB)) as thumb:
            picture = thumb.convert("RGBA")
        left = x0 + (CONTACT_THUMB - picture.width) // 2
        top = y0 + (CONTACT_THUMB - picture.height) // 2
        sheet.paste(picture, (left, top), picture)
        text = caption if len(caption) <= 40 else caption[:37] + "..."
        draw.text((x0, y0 + CONTACT_THUMB + 6), text, fill="black", font=font)
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()

"""Batch variants: many prompts times n variants from one document and mask, and their export.

Each (prompt, variant) is one job in the outbox, keyed by a deterministic *batch key* (hashes of
the pixels and the mask, the prompt, the parameters, the engine and the variant number). Queuing
the same batch again finds the existing jobs instead of adding new ones, so rerunning an
interrupted `imgdesk batch` only sends what is missing and never records a result twice.

Export writes full-resolution PNGs (the result blobs as they are, tagged with the photo's ICC
profile, see `BatchSpec.icc_profile`) with readable names, a manifest as CSV and JSON, and a contact
sheet. A result's name is a function of the list of nodes alone (`<prompt no>-<slug>-<variant
no>.png`), never of which of them are done, so exporting again after more jobs finished gives
every result the name it had or would have had. Every file is written atomically and skipped when
the same content is already there; a result never overwrites a different file of the same name
(it gets a name of its own, reported in `ExportReport.renamed`). The manifests and the contact
sheet describe the whole export and are rewritten when it grew.
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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from imgdesk.core.atomic import atomic_write_bytes
from imgdesk.core.color import ColorProfile
from imgdesk.core.edit_types import EditParams, MaskArray, RGBAArray
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP
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
        raise _prompt_error(
            QT_TRANSLATE_NOOP("errors", "The prompt file {path} does not exist."), path=path
        ) from error
    except IsADirectoryError as error:
        raise _prompt_error(
            QT_TRANSLATE_NOOP("errors", "{path} is a folder; give a .txt or .csv file of prompts."),
            path=path,
        ) from error
    except OSError as error:
        raise _prompt_error(
            QT_TRANSLATE_NOOP("errors", "The prompt file {path} cannot be read: {strerror}."),
            path=path,
            strerror=error.strerror,
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _prompt_error(
            QT_TRANSLATE_NOOP(
                "errors",
                "The prompt file {name} is not UTF-8 text. Save it as UTF-8 and try again.",
            ),
            name=path.name,
        ) from error
    if "\x00" in text:
        raise _prompt_error(
            QT_TRANSLATE_NOOP(
                "errors", "{name} is not a text file; give a .txt or .csv file of prompts."
            ),
            name=path.name,
        )
    try:
        prompts = parse_prompts(text, as_csv=path.suffix.lower() == ".csv")
    except csv.Error as error:
        raise _prompt_error(
            QT_TRANSLATE_NOOP("errors", "{name} is not a readable CSV file: {error}."),
            name=path.name,
            error=error,
        ) from error
    if not prompts:
        raise _prompt_error(
            QT_TRANSLATE_NOOP(
                "errors", "{name} has no prompts (blank lines and # comments are skipped)."
            ),
            name=path.name,
        )
    if len(prompts) > MAX_PROMPTS:
        raise _prompt_error(
            QT_TRANSLATE_NOOP(
                "errors", "{name} has {count} prompts; a batch takes at most {MAX_PROMPTS}."
            ),
            name=path.name,
            count=len(prompts),
            MAX_PROMPTS=MAX_PROMPTS,
        )
    return prompts


def _prompt_error(template: str, **values: object) -> ImgdeskError:
    return ImgdeskError.make(ErrorKind.INVALID_REQUEST, template, field="prompts", values=values)


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
    icc_profile: bytes | None = None  # the colour space `image` is in (the photo's); None = sRGB


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
    if spec.icc_profile:
        # The same values in another colour space are another picture; untagged keys unchanged.
        image_digest += ":" + digest(spec.icc_profile)
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
            stored = store.put_inputs(spec.image, spec.mask, icc_profile=spec.icc_profile)
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
    # (the name it should have had, the name it got): a different file already had that name.
    renamed: tuple[tuple[Path, Path], ...] = ()


def slug(text: str, max_length: int = 48) -> str:
    """A file-name-safe, readable version of a prompt: lower case ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0] or words[:max_length]
    return words or "edit"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write `data` unless `path` already holds exactly it; True if written."""
    if _holds(path, data):
        return False
    atomic_write_bytes(path, data)
    return True


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and digest(path.read_bytes()) == digest(data)
    except OSError:
        return False


def _is_free(path: Path) -> bool:
    return not path.exists() and not path.is_symlink()


def write_new(path: Path, data: bytes, hash_: str) -> tuple[Path, bool]:
    """Put `data` at `path` without ever replacing a different file; (where it is, written).

    When `path` holds something else, the data goes to `<stem>-<hash>.png` instead: a name
    that depends on the content only, so the next export finds it there and writes nothing.
    """
    if _holds(path, data):
        return path, False
    if not _is_free(path):
        for counter in range(1000):
            extra = f"-{counter}" if counter else ""
            candidate = path.with_name(f"{path.stem}-{hash_[:8]}{extra}{path.suffix}")
            if _holds(candidate, data):
                return candidate, False
            if _is_free(candidate):
                path = candidate
                break
        else:
            raise ImgdeskError.make(
                ErrorKind.STORAGE,
                QT_TRANSLATE_NOOP("errors", "{parent} has too many files named like {name}."),
                parent=path.parent,
                name=path.name,
            )
    atomic_write_bytes(path, data)
    return path, True


def export_names(nodes: Sequence[Node]) -> dict[str, str]:
    """Each node's file-name stem, from the list alone (order, prompts, variants, ids).

    Prompts are numbered by first appearance, so two prompts that slug alike (or differ only
    past the slug's length) never share a name; a batch variant adds its number. Nodes that
    still share a stem (the same prompt in two batches, edits made outside a batch) add the
    start of their id, which never changes.
    """
    unique = list({node.id: node for node in nodes}.values())
    prompt_numbers: dict[str, int] = {}
    for node in unique:
        prompt_numbers.setdefault(node.prompt, len(prompt_numbers) + 1)
    stems: dict[str, str] = {}
    for node in unique:
        stem = f"{prompt_numbers[node.prompt]:03d}-{slug(node.prompt)}"
        # A batch job has one output, its variant; another edit numbers its outputs after its id.
        if node.variant is None:
            stems[node.id] = f"{stem}-{node.id[:8]}"
        else:
            stems[node.id] = f"{stem}-{node.variant + 1:02d}"
    shared = Counter(stems.values())
    for node in unique:
        if node.variant is not None and shared[stems[node.id]] > 1:
            stems[node.id] = f"{stems[node.id]}-{node.id[:8]}"
    return stems


def _file_name(stem: str, node: Node, index: int) -> str:
    if node.variant is not None and index == 0:
        return f"{stem}.png"
    return f"{stem}-{index + 1:02d}.png"


# What the offline engine reads of the parameters: how many variants, the request size its crop is
# planned for, the format results are written in. Model, quality, background, fidelity and
# previews only shape an OpenAI request; recording them for an offline result would mislead.
OFFLINE_PARAMETERS = frozenset({"n", "size", "output_format"})


def recorded_parameters(params: Mapping[str, Any], engine: str) -> dict[str, Any]:
    """The parameters a result was made with, as the manifest and `imgdesk edit`'s sidecar
    record them: without the prompt (recorded on its own); for the offline engine only those it
    uses."""
    return {
        key: value
        for key, value in params.items()
        if key != "prompt" and (engine != "local" or key in OFFLINE_PARAMETERS)
    }


def export_nodes(
    store: Store, nodes: Sequence[Node], out: Path, *, starred_only: bool = False
) -> ExportReport:
    """Write every result of `nodes` (done ones; only starred when asked) into `out`.

    Pass the same list every time (e.g. a batch's `node_ids`, done or not): names come from it.
    """
    stems = export_names(nodes)
    unique = list({node.id: node for node in nodes}.values())
    chosen = [
        n for n in unique if n.status == "done" and n.outputs and (n.starred or not starred_only)
    ]
    written: list[Path] = []
    unchanged: list[Path] = []
    renamed: list[tuple[Path, Path]] = []
    entries: list[dict[str, Any]] = []
    sheet: list[tuple[str, str]] = []
    for node in chosen:
        for index, hash_ in enumerate(node.outputs):
            wanted = out / _file_name(stems[node.id], node, index)
            path, wrote = write_new(wanted, store.blobs.read(hash_), hash_)
            (written if wrote else unchanged).append(path)
            if path != wanted:
                renamed.append((wanted, path))
            sheet.append((hash_, path.name))
            parameters = recorded_parameters(node.params, node.engine)
            entries.append(
                {
                    "file": path.name,
                    "prompt": node.prompt,
                    "variant": (node.variant or 0) + index + 1,
                    "parameters": parameters,
                    "engine": node.engine,
                    # The offline engine uses no model; naming the OpenAI one would mislead.
                    "model": node.model if node.engine != "local" else None,
                    "cost_usd": node.cost_usd,
                    "node_id": node.id,
                    "sha256": hash_,
                }
            )
    extras = {
        out / "manifest.json": (json.dumps(entries, indent=2, sort_keys=True) + "\n").encode(),
        out / "manifest.csv": _manifest_csv(entries),
        out / "contact_sheet.png": contact_sheet(store, sheet),
    }
    for path, data in extras.items():
        (written if write_if_changed(path, data) else unchanged).append(path)
    return ExportReport(tuple(written), tuple(unchanged), tuple(entries), tuple(renamed))


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
            icc = thumb.info.get("icc_profile")
            pixels = np.asarray(thumb.convert("RGBA"), dtype=np.uint8)
        # The sheet is sRGB; a thumbnail of a tagged result is in its photo's colour space.
        profile = ColorProfile.of(icc if isinstance(icc, bytes) else None)
        picture = Image.fromarray(np.ascontiguousarray(profile.to_srgb(pixels)), "RGBA")
        left = x0 + (CONTACT_THUMB - picture.width) // 2
        top = y0 + (CONTACT_THUMB - picture.height) // 2
        sheet.paste(picture, (left, top), picture)
        text = caption if len(caption) <= 40 else caption[:37] + "..."
        draw.text((x0, y0 + CONTACT_THUMB + 6), text, fill="black", font=font)
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()

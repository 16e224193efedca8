"""One prompt-driven edit at a time: validate, queue it, follow it, hold the variants it returns.

Generate writes the inputs to the store and queues ONE job (n variants) whose parent is the
document's history node; the queue's runner sends it. The session follows that job through the
queue's events: stages and partial previews (to the document's preview layer only), then the
variants. Offline, the job waits in the queue and the user keeps working; a job that finishes
later still delivers its variants if the document still shows the node it was made from. The
document's pixels change only when the user applies a variant, through its undo stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import logging
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from imgdesk.core import catalog, sizing
from imgdesk.core.edit_types import Box, EditParams, MaskArray, Reference, RGBAArray
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError
from imgdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from imgdesk.core.pipeline import Result, internal_error
from imgdesk.core.queue_runner import JobEvent
from imgdesk.core.store import NewJob
from imgdesk.models import edit_estimate
from imgdesk.models.document import DocumentModel
from imgdesk.models.edit_variants import VariantsMixin
from imgdesk.models.history_cursor import HistoryCursor
from imgdesk.models.queue_model import QueueModel
from imgdesk.models.settings_model import SettingsModel

log = logging.getLogger("imgdesk.session")

# Errors after which a job waits in the queue rather than ending: the network will come back,
# credits can be bought. Anything else ends the edit and the user decides (Try again...).
_WAITING_KINDS = frozenset({ErrorKind.NETWORK, ErrorKind.TIMEOUT})


def no_key_error() -> ImgdeskError:
    return ImgdeskError(
        ErrorKind.AUTH,
        QT_TRANSLATE_NOOP(
            "errors",
            "No OpenAI API key is set. Add one in Settings, or switch to the local engine.",
        ),
        action=Action.OPEN_SETTINGS,
    )


class SessionState(enum.StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    QUEUED = "queued"  # waiting in the queue: offline, or not enough credits
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class EditSession(VariantsMixin, QObject):
    state_changed = Signal(str)  # SessionState value
    stage_changed = Signal(str, str)  # stage name, sentence for the status line
    preview_received = Signal(int)  # partial image index, after the canvas got it
    variants_changed = Signal()
    selected_variant_changed = Signal(int)  # -1 when none
    compare_changed = Signal(bool)
    params_changed = Signal()
    estimate_changed = Signal(str)  # cost text for the panel ("" when unknown)
    field_errors_changed = Signal(list)  # list[ImgdeskError], each with .field
    error_raised = Signal(object)  # ImgdeskError
    notice_raised = Signal(str)  # something the user should know about a finished edit
    finished = Signal(str)  # SessionState value once a run ends (done, failed, cancelled)

    def __init__(
        self,
        document: DocumentModel,
        settings: SettingsModel,
        queue: QueueModel | None = None,
        cursor: HistoryCursor | None = None,
        *,
        parent: QObject | None = None,
    ) -> None:
        """Without a `queue` the session only holds parameters (Generate reports an error)."""
        super().__init__(parent)
        self._document = document
        self._settings = settings
        self._queue = queue
        self._cursor = cursor
        s = settings.settings
        self._params = EditParams(
            prompt="",
            model=s.model,
            quality=s.quality,
            n=s.variants,
            output_format=s.output_format,
            partial_images=s.partial_images,
        )
        self._engine_choice = settings.effective_engine()
        self._references: tuple[Reference, ...] = ()
        self._state = SessionState.IDLE
        self._task: asyncio.Task[None] | None = None  # writing the inputs, queuing the job
        self._job_id: str | None = None  # the job this session follows
        self._jobs: dict[str, str | None] = {}  # every job queued here, not yet ended -> parent
        self._waiter: asyncio.Future[None] | None = None
        self._variants: list[RGBAArray] = []
        self._variants_node: str | None = None  # the edit node the variants came from
        self._selected = -1
        self._compare = False
        self._field_errors: list[ImgdeskError] = []
        self._estimate_text = ""
        self.last_result: Result | None = None
        self.last_error: ImgdeskError | None = None
        # Strokes change the mask many times a second; price the mask once painting pauses.
        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(150)
        self._estimate_timer.timeout.connect(self._refresh_estimate)
        document.mask_changed.connect(self._schedule_estimate)
        document.image_changed.connect(self._schedule_estimate)
        if queue is not None:
            queue.job_event.connect(self._on_job_event)
        self._refresh_estimate()

    # What the user asked for ----------------------------------------------------------------

    @property
    def params(self) -> EditParams:
        return self._params

    def set_params(self, params: EditParams) -> None:
        if params == self._params:
            return
        changed = {f.name for f in dataclasses.fields(EditParams)} - {
            f.name
            for f in dataclasses.fields(EditParams)
            if getattr(params, f.name) == getattr(self._params, f.name)
        }
        self._params = params
        # A field the user touched is no longer the one the validator complained about.
        kept = [e for e in self._field_errors if e.field not in changed]
        if len(kept) != len(self._field_errors):
            self._field_errors = kept
            self.field_errors_changed.emit(list(kept))
        self.params_changed.emit()
        self._refresh_estimate()

    def update_params(self, **changes: object) -> None:
        self.set_params(dataclasses.replace(self._params, **changes))  # type: ignore[arg-type]

    def set_model(self, model_id: str) -> None:
        """Choose a model, resetting the options it does not offer to ones it does."""
        changes: dict[str, object] = {"model": model_id}
        info = catalog.load_catalog().models.get(model_id)
        params = self._params
        if info is not None:
            if params.quality not in info.qualities:
                changes["quality"] = "auto" if "auto" in info.qualities else info.qualities[0]
            if params.input_fidelity not in info.input_fidelity:
                changes["input_fidelity"] = None
            if params.size != "auto" and not info.sizes.flexible:
                try:
                    fits = catalog.parse_size(params.size) in info.sizes.sizes
                except ImgdeskError:
                    fits = False
                if not fits:
                    changes["size"] = "auto"
        self.update_params(**changes)

    @property
    def engine_choice(self) -> str:
        return self._engine_choice

    def set_engine_choice(self, engine: str) -> None:
        if engine != self._engine_choice:
            self._engine_choice = engine
            self.params_changed.emit()
            self._refresh_estimate()

    @property
    def references(self) -> tuple[Reference, ...]:
        return self._references

    def set_references(self, references: Sequence[Reference]) -> None:
        references = tuple(references)
        if references != self._references:
            self._references = references
            self._field_errors = [e for e in self._field_errors if e.field != "references"]
            self.field_errors_changed.emit(list(self._field_errors))
            self.params_changed.emit()

    @property
    def field_errors(self) -> list[ImgdeskError]:
        return list(self._field_errors)

    @property
    def estimate_text(self) -> str:
        return self._estimate_text

    def validate(self) -> list[ImgdeskError]:
        """Every field the chosen model would refuse; emitted so the panel can point at them."""
        problems = catalog.validation_problems(self._params, reference_count=len(self._references))
        self._field_errors = problems
        self.field_errors_changed.emit(list(problems))
        return problems

    # Running -------------------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def running(self) -> bool:
        return self._state is SessionState.RUNNING

    @property
    def job_id(self) -> str | None:
        """The queued job this session follows (None before it is queued)."""
        return self._job_id

    def start(self) -> bool:
        """Validate and queue the edit; False (with errors emitted) when it cannot start."""
        if self.running:
            return False
        pixels = self._document.pixels
        if pixels is None:
            self._fail(
                ImgdeskError(
                    ErrorKind.IMAGE,
                    QT_TRANSLATE_NOOP(
                        "errors", "Open a photo first, then paint the area to change."
                    ),
                )
            )
            return False
        problems = self.validate()
        if problems:
            self.error_raised.emit(problems[0])
            return False
        engine = self._settings.effective_engine(self._engine_choice)
        if engine == "openai" and not self._settings.has_key():
            self._fail(no_key_error())
            return False
        if self._queue is None:
            self._fail(internal_error(RuntimeError("the edit session has no queue")))
            return False
        mask = self._document.mask
        if mask is None:
            mask = np.zeros(pixels.shape[:2], np.uint8)
        self._detach()
        self.discard_variants()
        self.last_result = None
        self.last_error = None
        self._waiter = asyncio.get_running_loop().create_future()
        self._set_state(SessionState.RUNNING)
        # The document's pixels are immutable; the mask is copied because painting goes on.
        self._task = asyncio.ensure_future(
            self._submit(
                self._queue,
                pixels,
                mask.copy(),
                self._params,
                engine,
                self._references,
                self._document.icc_profile,
            )
        )
        return True

    def cancel(self) -> None:
        """Stop the edit at once (its job is cancelled); the document stays exactly as it was."""
        if self._state not in (SessionState.RUNNING, SessionState.QUEUED):
            return
        job_id = self._job_id
        self._detach()
        if job_id is not None and self._queue is not None:
            self._jobs.pop(job_id, None)
            self._queue.cancel([job_id])
        self._document.show_preview(None)
        self._end(SessionState.CANCELLED)

    def detach(self) -> None:
        """Stop following the edit without cancelling it: its job runs on and lands in history."""
        if self._state in (SessionState.RUNNING, SessionState.QUEUED):
            self._detach()
            self._document.show_preview(None)
            self._set_state(SessionState.IDLE)
            self._resolve_waiter()

    def _detach(self) -> None:
        task, self._task, self._job_id = self._task, None, None
        if task is not None and not task.done():
            task.cancel()

    async def aclose(self) -> None:
        """Stop following (on window close); a queued job stays queued for the next start."""
        task = self._task
        self.detach()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def wait(self) -> None:
        """Wait until the current edit ends (tests and scripts)."""
        if self._waiter is not None:
            await asyncio.shield(self._waiter)

    async def _submit(
        self,
        queue: QueueModel,
        pixels: RGBAArray,
        mask: MaskArray,
        params: EditParams,
        engine: str,
        references: tuple[Reference, ...],
        icc_profile: bytes | None,
    ) -> None:
        # The profile travels in the image blob: the runner sends the crop as sRGB and brings
        # the variants back into the document's colour space.
        store = queue.store
        try:
            image, mask_hash, ref_hashes = await asyncio.to_thread(
                store.put_inputs, pixels, mask, references, icc_profile=icc_profile
            )
            parent = None
            if self._cursor is not None:
                parent = await self._cursor.ensure_node(pixels, image)
            job = NewJob(
                image,
                mask_hash,
                params,
                engine,
                references=ref_hashes,
                reference_meta=tuple((r.name, r.mime) for r in references),
                parent=parent,
            )
            job_id = queue.enqueue(job)
        except ImgdeskError as error:
            self._fail(error)
            return
        self._jobs[job_id] = parent
        self._job_id = job_id
        if queue.runner.paused is not None:
            queue.resume()  # Generate after a pause (key fixed, credits bought) is "try again"

    def _on_job_event(self, event: JobEvent) -> None:
        if event.node_id not in self._jobs:
            return
        if event.node_id != self._job_id:
            self._on_other_job(event)
            return
        kind = event.kind
        if kind == "started":
            self._set_state(SessionState.RUNNING)
        elif kind == "stage":
            self.stage_changed.emit(event.stage, event.text)
        elif kind == "preview" and event.pixels is not None:
            self._document.show_preview(event.pixels)
            self.preview_received.emit(event.index)
        elif kind == "done":
            self._jobs.pop(event.node_id, None)
            self._job_id = None
            if event.result is not None:
                self._finish(event.result, event.node_id)
        elif kind == "failed":
            self._give_up(event, cancel_job=False)
        elif kind == "cancelled":
            self._jobs.pop(event.node_id, None)
            self._job_id = None
            self._document.show_preview(None)
            self._end(SessionState.CANCELLED)
        elif kind == "requeued" and event.error is not None:
            self._on_requeued(event.error)

    def _on_requeued(self, error: ImgdeskError) -> None:
        self._document.show_preview(None)
        if error.kind in _WAITING_KINDS:
            queued = self._queue.store.jobs.counts()["queued"] if self._queue else 1
            text = translate(
                "EditSession", "offline: {queued} queued — it will run when the connection is back"
            ).format(queued=queued)
            self._set_state(SessionState.QUEUED)
            self.stage_changed.emit("offline", text)
            self.notice_raised.emit(text)
        elif error.action is Action.BUY_TOKENS:
            # Nothing was sent; the job runs as soon as credits are bought and the queue resumes.
            self._set_state(SessionState.QUEUED)
            self.stage_changed.emit(
                "paused", translate("EditSession", "paused: not enough credits")
            )
            self.last_error = error
            self.error_raised.emit(error)
        else:
            self._give_up(JobEvent(self._job_id or "", "failed", error=error), cancel_job=True)

    def _give_up(self, event: JobEvent, *, cancel_job: bool) -> None:
        """The followed job failed: report it; a re-queued one is cancelled, not retried behind
        the user's back (Try again queues a fresh one)."""
        job_id = event.node_id
        self._jobs.pop(job_id, None)
        self._job_id = None
        if cancel_job and self._queue is not None:
            queue = self._queue
            # Later: the runner is still inside its error handling for this job.
            QTimer.singleShot(0, lambda: queue.cancel([job_id]))
        self._document.show_preview(None)
        self._fail(event.error or internal_error(RuntimeError("the job failed without a reason")))

    def _on_other_job(self, event: JobEvent) -> None:
        """A job queued here earlier, no longer followed (e.g. it waited while offline)."""
        if event.kind not in ("done", "failed", "cancelled"):
            return
        parent = self._jobs.pop(event.node_id, None)
        idle = self._state not in (SessionState.RUNNING, SessionState.QUEUED)
        current = self._cursor.current if self._cursor is not None else None
        if event.kind == "done" and event.result is not None and idle and parent == current:
            self._finish(event.result, event.node_id)  # else it just lands in history

    def _finish(self, result: Result, node_id: str) -> None:
        self.last_result = result
        self._variants = list(result.variants)
        self._variants_node = node_id
        self._selected = -1
        self._compare = False
        self.variants_changed.emit()
        if self._variants:
            self.select_variant(0)
        else:
            self._document.show_preview(None)
        if result.notice:
            # The engine's sentence is English (history keeps it so); shown in the user's language.
            self.notice_raised.emit(translate("notice", result.notice))
        self._end(SessionState.DONE)

    def _fail(self, error: ImgdeskError) -> None:
        self.last_error = error
        was_busy = self._state in (SessionState.RUNNING, SessionState.QUEUED)
        self._set_state(SessionState.FAILED)
        self.error_raised.emit(error)
        if was_busy:
            self.finished.emit(self._state.value)
            self._resolve_waiter()

    def _end(self, state: SessionState) -> None:
        self._set_state(state)
        self.finished.emit(state.value)
        self._resolve_waiter()

    def _resolve_waiter(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _set_state(self, state: SessionState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    # Cost ----------------------------------------------------------------------------------

    def _schedule_estimate(self, *_: object) -> None:
        self._estimate_timer.start()

    def _refresh_estimate(self) -> None:
        text = edit_estimate.estimate_text(self._document, self._params, self._engine_choice)
        if text != self._estimate_text:
            self._estimate_text = text
            self.estimate_changed.emit(text)

    def estimate_basis(self) -> str:
        return edit_estimate.estimate_basis(self._document, self._params, self._engine_choice)

    def planned_layout(self, mask_box: Box | None = None) -> sizing.Layout | None:
        """The crop and request size the planner would choose now (None: nothing to plan).

        `mask_box` is the mask's bounding box when the caller already has it.
        """
        return edit_estimate.planned_layout(self._document, self._params, mask_box)

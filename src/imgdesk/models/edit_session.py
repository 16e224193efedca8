"""One prompt-driven edit at a time: validate, run the pipeline, hold the variants it returns.

The edit is an asyncio task owned here. Partial images go to the document's preview layer only;
the document's pixels change only when the user applies a variant, through its undo stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import logging
from collections.abc import AsyncIterator, Callable, Sequence

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from imgdesk.core import catalog, masks, pricing, sizing
from imgdesk.core.edit_types import Box, EditParams, MaskArray, Reference, RGBAArray
from imgdesk.core.engines.base import Engine
from imgdesk.core.engines.factory import make_engine
from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.pipeline import Failure, PipelineEvent, Preview, Result, Stage, run_edit
from imgdesk.core.settings import Settings
from imgdesk.models.document import DocumentModel
from imgdesk.models.settings_model import SettingsModel

log = logging.getLogger("imgdesk.session")

RunEdit = Callable[..., AsyncIterator[PipelineEvent]]


class SessionState(enum.StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class EditSession(QObject):
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
        *,
        engine_factory: Callable[[Settings, str | None], Engine] = make_engine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._settings = settings
        self._engine_factory = engine_factory
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
        self._task: asyncio.Task[None] | None = None
        self._variants: list[RGBAArray] = []
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

    def start(self) -> bool:
        """Validate and start the edit; False (with errors emitted) when it cannot start."""
        if self.running:
            return False
        pixels = self._document.pixels
        if pixels is None:
            self._fail(
                ImgdeskError(ErrorKind.IMAGE, "Open a photo first, then paint the area to change.")
            )
            return False
        problems = self.validate()
        if problems:
            self.error_raised.emit(problems[0])
            return False
        try:
            engine = self._engine_factory(self._settings.settings, self._engine_choice)
        except ImgdeskError as error:
            self._fail(error)
            return False
        mask = self._document.mask
        if mask is None:
            mask = np.zeros(pixels.shape[:2], np.uint8)
        self.discard_variants()
        self.last_result = None
        self.last_error = None
        self._set_state(SessionState.RUNNING)
        # Copies: the user may keep painting while the edit runs; the edit uses what was sent.
        self._task = asyncio.ensure_future(
            self._run(pixels.copy(), mask.copy(), self._params, engine, self._references)
        )
        return True

    def cancel(self) -> None:
        """Stop the running edit at once; the document stays exactly as it was."""
        if not self.running:
            return
        if self._task is not None:
            self._task.cancel()
        self._document.show_preview(None)
        self._set_state(SessionState.CANCELLED)
        self.finished.emit(self._state.value)

    async def aclose(self) -> None:
        """Cancel and wait for the running edit (on window close)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            self.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def wait(self) -> None:
        """Wait until the current edit ends (tests and scripts)."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(
        self,
        pixels: RGBAArray,
        mask: MaskArray,
        params: EditParams,
        engine: Engine,
        references: tuple[Reference, ...],
    ) -> None:
        try:
            async for event in run_edit(pixels, mask, params, engine, references=references):
                if self._state is not SessionState.RUNNING:
                    return
                if isinstance(event, Stage):
                    self.stage_changed.emit(event.name, event.text)
                elif isinstance(event, Preview):
                    self._document.show_preview(event.pixels)
                    self.preview_received.emit(event.index)
                elif isinstance(event, Result):
                    self._finish(event)
                elif isinstance(event, Failure):
                    self._document.show_preview(None)
                    self._fail(event.error)
        except asyncio.CancelledError:
            if self._state is SessionState.RUNNING:
                self._document.show_preview(None)
                self._set_state(SessionState.CANCELLED)
                self.finished.emit(self._state.value)
            raise
        finally:
            # The engine's HTTP client holds pooled connections; close them with the edit.
            close = getattr(engine, "aclose", None)
            if close is not None:
                try:
                    await close()
                except Exception:
                    log.warning("closing the %s engine failed", engine.name, exc_info=True)

    def _finish(self, result: Result) -> None:
        self.last_result = result
        self._variants = list(result.variants)
        self._selected = -1
        self._compare = False
        self.variants_changed.emit()
        self._set_state(SessionState.DONE)
        if self._variants:
            self.select_variant(0)
        else:
            self._document.show_preview(None)
        if result.notice:
            self.notice_raised.emit(result.notice)
        self.finished.emit(self._state.value)

    def _fail(self, error: ImgdeskError) -> None:
        self.last_error = error
        was_running = self.running
        self._set_state(SessionState.FAILED)
        self.error_raised.emit(error)
        if was_running:
            self.finished.emit(self._state.value)

    def _set_state(self, state: SessionState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    # Variants ------------------------------------------------------------------------------

    @property
    def variants(self) -> list[RGBAArray]:
        return list(self._variants)

    @property
    def selected_variant(self) -> int:
        return self._selected

    @property
    def compare(self) -> bool:
        return self._compare

    def select_variant(self, index: int) -> None:
        if not 0 <= index < len(self._variants):
            return
        if index != self._selected:
            self._selected = index
            self.selected_variant_changed.emit(index)
        self._show_current()

    def set_compare(self, on: bool) -> None:
        """Show the original (on) or the selected variant (off) on the canvas."""
        on = on and bool(self._variants)
        if on != self._compare:
            self._compare = on
            self.compare_changed.emit(on)
        self._show_current()

    def apply_variant(self, index: int | None = None) -> None:
        """Make a variant the document's new state (one undo step) and drop the rest."""
        index = self._selected if index is None else index
        if not 0 <= index < len(self._variants):
            return
        pixels = self._variants[index]
        self._clear_variants()
        self._document.show_preview(None)
        self._document.set_image(pixels, f"Apply variant {index + 1}")

    def discard_variants(self) -> None:
        if self._variants:
            self._clear_variants()
            self._document.show_preview(None)

    def _clear_variants(self) -> None:
        self._variants = []
        self._selected = -1
        if self._compare:
            self._compare = False
            self.compare_changed.emit(False)
        self.selected_variant_changed.emit(-1)
        self.variants_changed.emit()

    def _show_current(self) -> None:
        if self._selected < 0:
            self._document.show_preview(None)
        elif self._compare:
            # The original as the preview: the result is still under review, so the canvas keeps
            # the mask overlay off and the two pictures flip without the tint coming and going.
            self._document.show_preview(self._document.pixels)
        else:
            self._document.show_preview(self._variants[self._selected])

    # Cost ----------------------------------------------------------------------------------

    def _schedule_estimate(self, *_: object) -> None:
        self._estimate_timer.start()

    def _refresh_estimate(self) -> None:
        text = self._estimate()
        if text != self._estimate_text:
            self._estimate_text = text
            self.estimate_changed.emit(text)

    def _estimate(self) -> str:
        if self._engine_choice == "local":
            return "Offline engine: free"
        estimate = pricing.estimate_usd(self._params, self._planned_request_size())
        if estimate is None:
            return "No price known for this model"
        return f"About ${estimate.usd:.3f}"

    def estimate_basis(self) -> str:
        if self._engine_choice == "local":
            return "The offline engine runs on this computer and costs nothing."
        estimate = pricing.estimate_usd(self._params, self._planned_request_size())
        return estimate.basis if estimate else ""

    def _planned_request_size(self) -> tuple[int, int] | None:
        """The size the planner would ask for, so the estimate prices what will be sent."""
        mask = self._document.mask
        box = None if mask is None else masks.bounding_box(mask)
        if box is None:
            size = self._params.size
            try:
                return None if size == "auto" else catalog.parse_size(size)
            except ImgdeskError:
                return None
        layout = self.planned_layout(box)
        return None if layout is None else layout.request_size

    def planned_layout(self, mask_box: Box | None = None) -> sizing.Layout | None:
        """The crop and request size the planner would choose now (None: nothing to plan).

        `mask_box` is the mask's bounding box when the caller already has it.
        """
        pixels, mask = self._document.pixels, self._document.mask
        if pixels is None or mask is None:
            return None
        box = mask_box if mask_box is not None else masks.bounding_box(mask)
        if box is None:
            return None
        try:
            model = catalog.load_catalog().get(self._params.model)
            size = None if self._params.size == "auto" else catalog.parse_size(self._params.size)
        except ImgdeskError:
            return None  # validation reports it; the estimate falls back to the plain size
        height, width = pixels.shape[:2]
        return sizing.layout_edit((width, height), box, model.sizes, size=size)

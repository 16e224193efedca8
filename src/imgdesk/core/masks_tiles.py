"""Square tiles over a mask with each tile's smallest and largest value.

Feathering and blending only need real work where a mask changes value; a tile that is all 0
or all 255 can be skipped or filled in one step. Finding those tiles costs one cheap pass
(OpenCV's min/max over each tile), far less than the per-pixel work it saves on a 24 MP photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from imgdesk.core.edit_types import MaskArray


@dataclass(frozen=True)
class TileGrid:
    """Tiles of `size` pixels (the last row and column of tiles may be smaller)."""

    rows: tuple[slice, ...]  # one slice per tile row
    cols: tuple[slice, ...]  # one slice per tile column
    low: npt.NDArray[np.uint8]  # (tile rows, tile columns): each tile's smallest value
    high: npt.NDArray[np.uint8]  # ... and its largest

    def tile(self, row: int, col: int) -> tuple[slice, slice]:
        return self.rows[row], self.cols[col]


def tile_grid(mask: MaskArray, size: int) -> TileGrid:
    """The grid of `size`-pixel tiles over `mask`, with each tile's extremes."""
    height, width = mask.shape
    rows = tuple(slice(top, min(top + size, height)) for top in range(0, height, size))
    cols = tuple(slice(left, min(left + size, width)) for left in range(0, width, size))
    low = np.empty((len(rows), len(cols)), np.uint8)
    high = np.empty_like(low)
    for r, row in enumerate(rows):
        for c, col in enumerate(cols):
            # minMaxLoc reads a strided view in place, no copy; numpy's min/max over a 2-D
            # view are several times slower.
            lo, hi, _, _ = cv2.minMaxLoc(mask[row, col])
            low[r, c], high[r, c] = int(lo), int(hi)
    return TileGrid(rows, cols, low, high)


def near_tiles(flags: npt.NDArray[np.bool_], reach: int) -> npt.NDArray[np.bool_]:
    """Tiles within `reach` tiles (in both directions, diagonals included) of a flagged tile."""
    if reach <= 0 or not flags.any():
        return flags.copy()
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    grown = cv2.dilate(flags.view(np.uint8), kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    near: npt.NDArray[np.bool_] = np.asarray(grown, dtype=bool)
    return near

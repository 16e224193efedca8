"""atheris target: `load_image` on arbitrary bytes returns RGBA pixels or raises ImgdeskError.

Run (see README.md): python tests/reliability/fuzz/fuzz_load_image.py -max_total_time=600 \
    -rss_limit_mb=3072 -timeout=10 /tmp/imgdesk-fuzz-images ../shared/corpus/images
Any other exception, a crash, a hang past -timeout or memory past -rss_limit_mb is a finding.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import numpy as np

    from imgdesk.core.errors import ImgdeskError
    from imgdesk.core.imageio import load_image


def test_one_input(data: bytes) -> None:
    try:
        loaded = load_image(data)
    except ImgdeskError:
        return
    pixels = loaded.pixels
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise AssertionError(f"load_image returned {pixels.dtype} {pixels.shape}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""Paint imgdesk's bundled sample photos from code, so they are ours to give away (CC0).

    .venv/bin/python scripts/make_samples.py [OUTPUT_DIR]

Writes `lake-with-boat.jpg` (a lake below hills, with a small boat and a signpost worth removing)
and `still-life.jpg` (fruit, a vase and a cup on a wooden table) into `src/imgdesk/data/samples/`
unless told otherwise: 2400 x 1600, JPEG quality 90. Everything is drawn with NumPy and OpenCV
from a fixed random seed, so the pixels are the same on every run; the JPEG bytes can differ
between libjpeg versions, which is why the test compares pixels, not bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

Float = npt.NDArray[np.float32]
WIDTH, HEIGHT = 2400, 1600
QUALITY = 90
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "imgdesk" / "data" / "samples"


# ---------------------------------------------------------------- helpers


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int]) -> Float:
    """Noise in [-1, 1] that varies over about `cells` (rows, columns) across the picture."""
    coarse = rng.standard_normal((cells[0] + 3, cells[1] + 3)).astype(np.float32)
    big = cv2.resize(
        coarse,
        (shape[1] + 3 * shape[1] // cells[1], shape[0] + 3 * shape[0] // cells[0]),
        interpolation=cv2.INTER_CUBIC,
    )
    field = big[: shape[0], : shape[1]]
    return np.clip(field / 2.5, -1.0, 1.0)


def fractal_noise(
    rng: np.random.Generator, shape: tuple[int, int], base: int, octaves: int, stretch: float = 1.0
) -> Float:
    """Octaves of smooth noise; `stretch` > 1 draws features that much wider than tall."""
    total = np.zeros(shape, np.float32)
    amplitude, norm = 1.0, 0.0
    for octave in range(octaves):
        cells = base * 2**octave
        across = max(1, int(cells * shape[1] / shape[0] / stretch))
        total += amplitude * smooth_noise(rng, shape, (cells, across))
        norm += amplitude
        amplitude *= 0.5
    return total / norm


def ridge(rng: np.random.Generator, width: int, base: float, height: float, waves: int) -> Float:
    """A hill line: y for each x, from a few sines and some noise."""
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)
    y = np.zeros(width, np.float32)
    for k in range(1, waves + 1):
        phase = rng.uniform(0, 2 * np.pi)
        y += np.sin(2 * np.pi * k * x * rng.uniform(0.6, 1.4) + phase) / k
    rough = cv2.resize(
        rng.standard_normal((1, width // 40)).astype(np.float32),
        (width, 1),
        interpolation=cv2.INTER_CUBIC,
    )[0]
    y = y / np.abs(y).max() + 0.15 * rough
    return np.asarray(base - height * y, np.float32)


def blend(canvas: Float, color: tuple[float, float, float] | Float, alpha: Float) -> None:
    """Paint `color` (RGB in 0..1, or an image) over `canvas` with coverage `alpha` (h, w)."""
    # Only the box where alpha is non-zero: most shapes (a boat, a post) are small.
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    paint = np.asarray(color, np.float32)
    if paint.ndim == 3:
        paint = paint[box]
    a = alpha[box][..., None]
    region = canvas[box]
    region *= 1.0 - a
    region += a * paint


def soft_mask(
    shape: tuple[int, int], draw: Callable[[npt.NDArray[np.uint8]], None], blur: float
) -> Float:
    """A coverage mask in 0..1 from an OpenCV drawing, drawn 4x larger for smooth edges."""
    big = np.zeros((shape[0] * 4, shape[1] * 4), np.uint8)
    draw(big)
    small = (
        cv2.resize(big, (shape[1], shape[0]), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    )
    if blur > 0:
        return np.asarray(cv2.GaussianBlur(small, (0, 0), blur), np.float32)
    return np.asarray(small, np.float32)


def pts(points: list[tuple[float, float]]) -> npt.NDArray[np.int32]:
    """Points in picture coordinates, scaled for `soft_mask`'s 4x canvas."""
    return (np.asarray(points, np.float32) * 4).round().astype(np.int32)


def finish(canvas: Float, rng: np.random.Generator, grain: float) -> npt.NDArray[np.uint8]:
    """Add a little sensor grain and a lens vignette, as a photo would have."""
    h, w = canvas.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2)
    canvas *= (1.0 - 0.18 * np.clip(r - 0.45, 0, None) ** 1.5)[..., None]
    canvas += rng.normal(0, grain, canvas.shape).astype(np.float32)
    return np.asarray(np.clip(canvas * 255 + 0.5, 0, 255), np.uint8)


# ---------------------------------------------------------------- lake with boat


def render_lake(seed: int = 8) -> npt.NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    h, w = HEIGHT, WIDTH
    horizon = 930
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    canvas = np.zeros((h, w, 3), np.float32)

    # Sky: deep blue overhead to a warm haze at the horizon, a glow where the sun is.
    t = np.clip(yy / horizon, 0, 1)[..., None]
    top, low = np.array([0.20, 0.38, 0.68]), np.array([0.86, 0.84, 0.78])
    canvas[:] = top * (1 - t**0.8) + low * t**0.8
    sun = np.exp(-(((xx - 1720) ** 2 + (yy - 430) ** 2) / (2 * 260.0**2)))
    blend(canvas, (1.0, 0.95, 0.82), 0.55 * sun)
    # Clouds: noise drawn wider than tall, thinning towards the horizon.
    clouds = fractal_noise(rng, (horizon, w), 5, 5, stretch=3.0)
    sky_y = yy[:horizon]
    cover = np.clip((clouds - 0.02) * 3.0, 0, 1) * np.clip(1.1 - sky_y / (horizon * 0.8), 0, 1)
    shade = (0.97 - 0.22 * np.clip(clouds - 0.2, 0, 1) * 3 + 0.05 * (sky_y < 500))[..., None]
    blend(
        canvas[:horizon], np.concatenate([shade, shade * 0.99, shade * 1.01], axis=2), 0.8 * cover
    )

    # Hills: far ones hazy blue, near ones green; each layer a ridge line filled downwards.
    layers = [
        (ridge(rng, w, horizon - 170, 150, 4), (0.52, 0.60, 0.70), 0.5),
        (ridge(rng, w, horizon - 90, 110, 5), (0.34, 0.45, 0.42), 0.7),
        (ridge(rng, w, horizon - 25, 60, 7), (0.20, 0.33, 0.20), 0.9),
    ]
    texture = fractal_noise(rng, (h, w), 8, 3) + 0.6 * fractal_noise(rng, (h, w), 60, 2)
    for line, color, strength in layers:
        inside = np.clip((yy - line[None, :]) / 2.0, 0, 1) * (yy < horizon + 4)
        tone = np.asarray(color, np.float32) * (1 + 0.22 * strength * texture[..., None])
        # Lighter towards the ridge top: haze sits in the valleys' air, light on the crests.
        depth = np.clip((yy - line[None, :]) / 200.0, 0, 1)[..., None]
        blend(canvas, tone * (1.05 - 0.15 * depth), inside)

    # Conifers along the far shore.
    def trees(img: npt.NDArray[np.uint8]) -> None:
        x = 40.0
        while x < w - 40:
            tree_h = rng.uniform(40, 95)
            base = horizon + rng.uniform(-6, 4)
            half = tree_h * 0.28
            cv2.fillPoly(img, [pts([(x - half, base), (x, base - tree_h), (x + half, base)])], 255)
            x += rng.uniform(14, 60) if rng.random() < 0.8 else rng.uniform(120, 300)

    tree_mask = soft_mask((h, w), trees, 0.6)
    blend(canvas, (0.10, 0.19, 0.12), tree_mask * (yy < horizon + 6))

    # The lake: the scene above the waterline mirrored, darkened and rippled.
    shore = 1260
    water_rows = shore + 40 - horizon  # down past the bank, which the meadow then covers
    mirror = canvas[horizon - water_rows : horizon][::-1].copy()
    ripple = fractal_noise(rng, (water_rows, w), 10, 3)
    ry = np.arange(water_rows, dtype=np.float32)[:, None]
    wave = 5 * np.sin(ry * 0.9 + 3 * ripple) * (0.3 + ry / water_rows)
    map_x = (np.arange(w, dtype=np.float32)[None, :] + wave).astype(np.float32)
    map_y = np.clip(ry + 2 * ripple * (ry / water_rows), 0, water_rows - 1).astype(np.float32)
    map_y = np.broadcast_to(map_y, (water_rows, w)).copy()
    rippled = cv2.remap(mirror, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    rippled = cv2.GaussianBlur(rippled, (0, 0), sigmaX=3, sigmaY=1)
    lake_tint = np.array([0.16, 0.30, 0.38], np.float32)
    fresnel = (0.55 + 0.3 * (1 - ry / water_rows))[..., None]
    water = rippled * fresnel + lake_tint * (1 - fresnel)
    canvas[horizon : horizon + water_rows] = water

    # Meadow in front, with a darker bank where it meets the water and a worn path.
    bank = ridge(rng, w, shore, 18, 6)
    meadow = np.clip((yy - bank[None, :]) / 2.0, 0, 1)
    grass = fractal_noise(rng, (h, w), 20, 4)
    blades = cv2.GaussianBlur(
        rng.standard_normal((h, w)).astype(np.float32), (0, 0), sigmaX=0.6, sigmaY=3
    )
    near = np.clip((yy - shore) / (h - shore), 0, 1)[..., None]
    green = np.array([0.33, 0.47, 0.20], np.float32) * (
        1 + 0.18 * grass[..., None] + 0.05 * blades[..., None]
    )
    green = green * (0.85 + 0.2 * near)
    blend(canvas, green, meadow)
    blend(canvas, (0.22, 0.27, 0.14), meadow * np.exp(-(((yy - bank[None, :] - 10) / 12.0) ** 2)))

    def path(img: npt.NDArray[np.uint8]) -> None:
        cv2.fillPoly(
            img, [pts([(1360, h), (1800, h), (1660, 1330), (1590, 1290), (1560, 1300)])], 255
        )

    path_mask = soft_mask((h, w), path, 6) * (0.75 + 0.25 * np.clip(grass + 0.5, 0, 1))
    blend(
        canvas,
        np.array([0.55, 0.49, 0.38], np.float32) * (1 + 0.1 * blades[..., None]),
        path_mask * 0.85,
    )

    # A small rowboat on the lake, with its reflection.
    bx, by = 760, 1075

    def hull(img: npt.NDArray[np.uint8]) -> None:
        cv2.fillPoly(
            img,
            [pts([(bx - 80, by - 16), (bx + 90, by - 18), (bx + 62, by + 6), (bx - 58, by + 6)])],
            255,
        )

    def stripe(img: npt.NDArray[np.uint8]) -> None:
        cv2.fillPoly(
            img,
            [pts([(bx - 80, by - 16), (bx + 90, by - 18), (bx + 84, by - 11), (bx - 74, by - 9)])],
            255,
        )

    def figure(img: npt.NDArray[np.uint8]) -> None:
        cv2.ellipse(img, (bx * 4 + 40, (by - 48) * 4), (30, 36), 0, 0, 360, 255, -1)
        cv2.fillPoly(
            img,
            [pts([(bx - 4, by - 16), (bx + 24, by - 16), (bx + 20, by - 40), (bx + 2, by - 40)])],
            255,
        )
        cv2.line(img, ((bx - 30) * 4, (by - 30) * 4), ((bx - 100) * 4, (by + 10) * 4), 255, 10)

    hull_mask, stripe_mask, figure_mask = (
        soft_mask((h, w), f, 0.5) for f in (hull, stripe, figure)
    )
    reflection = np.zeros_like(hull_mask)
    span = slice(by - 60, by + 8)
    reflection[by + 6 : by + 6 + 68] = (hull_mask[span] + figure_mask[span])[::-1]
    reflection = np.asarray(
        cv2.GaussianBlur(reflection, (0, 0), sigmaX=2.5, sigmaY=1.2), np.float32
    )
    blend(canvas, (0.10, 0.10, 0.12), 0.45 * np.clip(reflection, 0, 1))
    blend(canvas, np.array([0.62, 0.16, 0.12]) * (0.8 + 0.25 * (yy < by - 6)[..., None]), hull_mask)
    blend(canvas, (0.92, 0.90, 0.84), stripe_mask)
    blend(canvas, (0.18, 0.20, 0.26), figure_mask)

    # A wooden signpost in the meadow: the thing a user might want to paint out.
    px, ground = 1960, 1450

    def post(img: npt.NDArray[np.uint8]) -> None:
        cv2.rectangle(img, ((px - 9) * 4, (ground - 250) * 4), ((px + 9) * 4, ground * 4), 255, -1)

    def board(img: npt.NDArray[np.uint8]) -> None:
        cv2.fillPoly(
            img,
            [
                pts(
                    [
                        (px - 120, ground - 240),
                        (px + 70, ground - 240),
                        (px + 110, ground - 212),
                        (px + 70, ground - 184),
                        (px - 120, ground - 184),
                    ]
                )
            ],
            255,
        )

    def letters(img: npt.NDArray[np.uint8]) -> None:
        cv2.putText(
            img,
            "SEEWEG 2 km",
            ((px - 108) * 4, (ground - 200) * 4),
            cv2.FONT_HERSHEY_SIMPLEX,
            3.3,
            255,
            14,
            cv2.LINE_AA,
        )

    def shadow(img: npt.NDArray[np.uint8]) -> None:
        cv2.ellipse(img, ((px - 70) * 4, (ground + 6) * 4), (90 * 4, 12 * 4), -4, 0, 360, 255, -1)

    grain_wood = 1 + 0.12 * np.sin(yy * 0.35 + 4 * fractal_noise(rng, (h, w), 30, 2))[..., None]
    blend(canvas, (0.05, 0.08, 0.03), 0.55 * soft_mask((h, w), shadow, 8))
    blend(canvas, np.array([0.36, 0.25, 0.15]) * grain_wood, soft_mask((h, w), post, 0.5))
    board_mask = soft_mask((h, w), board, 0.5)
    lit = 0.9 + 0.15 * np.clip((ground - 184 - yy) / 56, 0, 1)[..., None]
    blend(canvas, np.array([0.58, 0.42, 0.24]) * grain_wood * lit, board_mask)
    blend(canvas, (0.97, 0.95, 0.88), soft_mask((h, w), letters, 0.4) * board_mask)

    return finish(canvas, rng, grain=0.008)


# ---------------------------------------------------------------- still life


def shaded_sphere(
    canvas: Float,
    cx: float,
    cy: float,
    radius: float,
    color: tuple[float, float, float],
    light: tuple[float, float, float],
    texture: Float,
    squash: float = 1.0,
) -> None:
    """A lit ball (fruit): Lambert shading, a soft highlight, antialiased edge."""
    h, w = canvas.shape[:2]
    x0, x1 = int(max(cx - radius - 2, 0)), int(min(cx + radius + 3, w))
    y0, y1 = int(max(cy - radius * squash - 2, 0)), int(min(cy + radius * squash + 3, h))
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    nx, ny = (xx - cx) / radius, (yy - cy) / (radius * squash)
    r2 = nx**2 + ny**2
    nz = np.sqrt(np.clip(1 - r2, 0, 1))
    lx, ly, lz = np.asarray(light, np.float32) / np.linalg.norm(light)
    diffuse = np.clip(nx * lx + ny * ly + nz * lz, 0, 1)
    spec = np.clip(nx * lx + ny * ly + nz * lz, 0, 1) ** 40
    tex = 1 + 0.06 * texture[y0:y1, x0:x1]
    rgb = np.asarray(color, np.float32) * (0.22 + 0.85 * diffuse)[..., None] * tex[..., None]
    rgb += 0.45 * spec[..., None]
    edge = np.clip((1 - np.sqrt(r2)) * radius / 1.5, 0, 1)
    region = canvas[y0:y1, x0:x1]
    region *= 1 - edge[..., None]
    region += edge[..., None] * rgb


def body_of_revolution(
    canvas: Float,
    cx: float,
    top: float,
    profile: Callable[[Float], Float],
    height: float,
    color: tuple[float, float, float],
    light_x: float,
    gloss: float,
) -> Float:
    """A vase or cup: half-width from `profile(t)` for t in 0..1 down its height, shaded as a
    cylinder lit from the side. Returns its coverage mask."""
    h, w = canvas.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (yy - top) / height
    half = profile(np.clip(t, 0, 1))
    u = (xx - cx) / np.maximum(half, 1)
    inside = np.clip((half - np.abs(xx - cx)) / 1.2, 0, 1) * (t >= 0) * (t <= 1)
    nz = np.sqrt(np.clip(1 - u**2, 0, 1))
    diffuse = np.clip(u * light_x + nz * 0.8, 0, 1)
    spec = np.exp(-(((u - light_x * 0.55) / 0.07) ** 2)) * gloss
    rgb = np.asarray(color, np.float32) * (0.25 + 0.8 * diffuse)[..., None] + spec[..., None]
    blend(canvas, rgb, inside)
    return np.asarray(inside, np.float32)


def render_still_life(seed: int = 18) -> npt.NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    h, w = HEIGHT, WIDTH
    table_top = 1010
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    canvas = np.zeros((h, w, 3), np.float32)

    # Plaster wall, lit from the window on the left.
    plaster = fractal_noise(rng, (h, w), 6, 5)
    light = 1.0 - 0.45 * (xx / w) ** 1.2 - 0.1 * (yy / table_top)
    canvas[:] = np.array([0.80, 0.72, 0.60], np.float32) * (light * (1 + 0.04 * plaster))[..., None]

    # Wooden table: grain lines along x, warped by noise, darker boards seams.
    warp = fractal_noise(rng, (h, w), 4, 3)
    grain = np.sin((yy - table_top) * 0.55 + 18 * warp + 0.004 * xx) * 0.5 + 0.5
    fine = cv2.GaussianBlur(
        rng.standard_normal((h, w)).astype(np.float32), (0, 0), sigmaX=12, sigmaY=0.7
    )
    wood = np.array([0.46, 0.28, 0.15], np.float32) * (0.8 + 0.25 * grain + 0.08 * fine)[..., None]
    seams = np.exp(-((((yy - table_top) % 190 - 95) / 1.5) ** 2)) * (yy > table_top + 60)
    wood *= (1 - 0.35 * seams)[..., None]
    depth = np.clip((yy - table_top) / (h - table_top), 0, 1)[..., None]
    wood *= 0.75 + 0.35 * depth * (1.1 - 0.4 * (xx / w))[..., None]
    table = np.clip((yy - table_top) / 1.5, 0, 1)
    blend(canvas, wood, table)
    blend(
        canvas, (0.95, 0.90, 0.80), 0.25 * np.exp(-(((yy - table_top - 2) / 2.0) ** 2))
    )  # lit edge

    # Cast shadows first, to the lower right of each object (light from the upper left).
    def shadows(img: npt.NDArray[np.uint8]) -> None:
        cv2.ellipse(img, (640 * 4, 1215 * 4), (230 * 4, 40 * 4), 4, 0, 360, 255, -1)
        cv2.ellipse(img, (1300 * 4, 1320 * 4), (380 * 4, 60 * 4), 3, 0, 360, 255, -1)
        cv2.ellipse(img, (1960 * 4, 1260 * 4), (170 * 4, 30 * 4), 3, 0, 360, 255, -1)

    blend(canvas, (0.10, 0.06, 0.03), 0.55 * soft_mask((h, w), shadows, 22) * table)

    # A tall glazed vase on the left.
    def vase_profile(t: Float) -> Float:
        return np.asarray(
            70
            + 95 * np.sin(np.pi * np.clip(t * 0.85 + 0.1, 0, 1)) ** 1.6
            - 30 * np.exp(-(((t - 0.08) / 0.05) ** 2)),
            np.float32,
        )

    body_of_revolution(canvas, 560, 640, vase_profile, 560, (0.20, 0.36, 0.52), -0.6, 0.55)
    rim = np.exp(-(((xx - 560) / 75.0) ** 2 + ((yy - 642) / 9.0) ** 2) * 4)
    blend(canvas, (0.08, 0.12, 0.18), np.clip(rim, 0, 1) * 0.8)

    # A shallow bowl with fruit.
    texture = fractal_noise(rng, (h, w), 60, 2)

    def bowl_profile(t: Float) -> Float:
        return (330 - 160 * t**1.8).astype(np.float32)

    fruit = [
        (1130, 1030, 105, (0.93, 0.52, 0.10)),
        (1330, 1015, 112, (0.80, 0.12, 0.10)),
        (1230, 935, 100, (0.95, 0.56, 0.12)),
        (1450, 1060, 95, (0.45, 0.65, 0.18)),
        (1040, 1110, 92, (0.72, 0.10, 0.12)),
    ]
    for cx, cy, r, color in fruit:
        shaded_sphere(canvas, cx, cy, r, color, (-0.6, -0.7, 0.9), texture)
    body_of_revolution(canvas, 1270, 1080, bowl_profile, 200, (0.88, 0.86, 0.80), -0.5, 0.35)
    # One more orange, resting against the front of the bowl.
    shaded_sphere(canvas, 1395, 1150, 85, (0.93, 0.50, 0.12), (-0.6, -0.7, 0.9), texture)

    # A cup on the right, with a handle.
    def cup_profile(t: Float) -> Float:
        return (112 - 20 * t**2).astype(np.float32)

    cup = body_of_revolution(canvas, 1930, 1000, cup_profile, 250, (0.93, 0.92, 0.89), -0.55, 0.5)

    def handle(img: npt.NDArray[np.uint8]) -> None:
        cv2.ellipse(img, (2040 * 4, 1110 * 4), (60 * 4, 72 * 4), 0, -90, 90, 255, 22 * 4)

    blend(canvas, (0.78, 0.77, 0.74), soft_mask((h, w), handle, 0.6) * (1 - cup))
    coffee = np.exp(-(((xx - 1930) / 104.0) ** 2 + ((yy - 1004) / 14.0) ** 2) * 3)
    blend(canvas, (0.23, 0.13, 0.07), np.clip(coffee * 1.6, 0, 1))

    # A folded napkin in the front right corner.
    def napkin(img: npt.NDArray[np.uint8]) -> None:
        cv2.fillPoly(img, [pts([(1700, 1600), (2400, 1600), (2400, 1390), (2000, 1360)])], 255)

    napkin_mask = soft_mask((h, w), napkin, 1.0)
    folds = 0.9 + 0.1 * np.sin(xx * 0.02 + 6 * warp)
    blend(canvas, np.array([0.88, 0.86, 0.82], np.float32) * folds[..., None], napkin_mask)
    check = (((xx // 40).astype(int) + (yy // 40).astype(int)) % 2 == 0) * (np.abs(yy - 1450) < 30)
    blend(canvas, (0.70, 0.20, 0.18), 0.6 * napkin_mask * check)

    return finish(canvas, rng, grain=0.01)


# ---------------------------------------------------------------- output

SAMPLES: dict[str, Callable[[], npt.NDArray[np.uint8]]] = {
    "lake-with-boat.jpg": render_lake,
    "still-life.jpg": render_still_life,
}


def write_jpeg(pixels: npt.NDArray[np.uint8], path: Path) -> None:
    Image.fromarray(pixels, "RGB").save(path, "JPEG", quality=QUALITY, optimize=True)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, render in SAMPLES.items():
        path = out / name
        write_jpeg(render(), path)
        print(f"{path}: {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Pictures for the screen and for download: crisp enlargement, PNG and animated GIF, in memory."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from PIL import Image

from vae_core import tile_images

SCREEN_SIDE = 560  # pixels: a picture is enlarged to about this size so a projector shows it sharply


def enlarge(image: np.ndarray, min_side: int = SCREEN_SIDE) -> np.ndarray:
    """Nearest-neighbour enlargement by a whole factor: pixels stay square instead of blurring
    when the browser scales an 8×8 or 28×28 digit up."""
    factor = max(1, math.ceil(min_side / max(image.shape[:2])))
    if factor == 1:
        return image
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def picture(
    images: np.ndarray, *, per_row: int | None = None, min_side: int = SCREEN_SIDE, padding: int = 1
) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1], `per_row` to a row (default: one row), as one uint8 picture
    at least `min_side` pixels on its longer side: the one way every page draws digits."""
    return enlarge(tile_images(images, nrow=per_row or len(images), padding=padding), min_side)


def row_length(count: int, at_most: int) -> int:
    """Images to a row for `count` images in rows of at most `at_most`, the rows as even as can be
    (10 in rows of at most 5: 5 + 5; 7: 4 + 3; 24: 5 + 5 + 5 + 5 + 4)."""
    if count <= 0:
        return 1
    rows = math.ceil(count / max(1, at_most))
    return math.ceil(count / rows)


def png_bytes(image: np.ndarray, *, optimize: bool = True) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=optimize)
    return buffer.getvalue()


def png_data_url(image: np.ndarray) -> str:
    """The picture inline, as a data: URL, for st.image.

    Pictures given as arrays become media files, which Streamlit drops when the session's next
    full rerun starts; under a class's load a browser then fetched a file already gone (a broken
    image). Inline pictures have no such race. Not optimised: that costs CPU on every rerun.
    """
    return "data:image/png;base64," + base64.b64encode(png_bytes(image, optimize=False)).decode("ascii")


def picture_url(images: np.ndarray, **layout: int) -> str:
    """`picture(images, **layout)` as an inline PNG for st.image."""
    return png_data_url(picture(images, **layout))


def gif_bytes(frames: list[np.ndarray], *, ms_per_frame: int = 120, bounce: bool = True) -> bytes:
    """An endlessly looping animation; `bounce` plays it forwards then backwards so it never jumps."""
    if bounce and len(frames) > 2:
        frames = frames + frames[-2:0:-1]
    pictures = [Image.fromarray(f) for f in frames]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=ms_per_frame, loop=0)
    return buffer.getvalue()

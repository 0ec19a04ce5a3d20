"""Pictures for the screen and for download: crisp enlargement, PNG and animated GIF, in memory."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from PIL import Image

SCREEN_SIDE = 560  # pixels: small digits are enlarged to about this size so a projector shows them sharply


def enlarge(image: np.ndarray, min_side: int = SCREEN_SIDE) -> np.ndarray:
    """Nearest-neighbour enlargement by a whole factor: pixels stay square instead of blurring
    when the browser scales an 8×8 or 28×28 digit up."""
    factor = max(1, math.ceil(min_side / max(image.shape[:2])))
    if factor == 1:
        return image
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def png_bytes(image: np.ndarray, *, optimize: bool = True) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=optimize)
    return buffer.getvalue()


def png_data_url(image: np.ndarray) -> str:
    """The picture inline, as a data: URL, for st.image.

    Pictures given as arrays become media files, which Streamlit drops when the session's next
    full rerun starts and deletes at the end of any session's run; under a class's load a browser
    then fetched a file already gone (404, a broken image). Inline pictures have no such race.
    Not optimised: that costs CPU on every rerun for a few bytes.
    """
    return "data:image/png;base64," + base64.b64encode(png_bytes(image, optimize=False)).decode("ascii")


def gif_bytes(frames: list[np.ndarray], *, ms_per_frame: int = 120, bounce: bool = True) -> bytes:
    """An endlessly looping animation; `bounce` plays it forwards then backwards so it never jumps."""
    if bounce and len(frames) > 2:
        frames = frames + frames[-2:0:-1]
    pictures = [Image.fromarray(f) for f in frames]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=ms_per_frame, loop=0)
    return buffer.getvalue()

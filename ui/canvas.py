"""A square to draw a digit on, with a mouse, a finger or a pen: a small `st.components.v2` component.

The browser keeps the strokes and draws them; when a stroke ends (the pointer lifts) it sends all
of them to the server as the component's state: a list of strokes, each a list of [x, y] points
in [0, 1] (x to the right, y down), rounded to a thousandth of the side, a point every half
percent of the side at most. The server draws them again at the size it needs
(`vae_core.drawing.prepare_strokes`), which checks what arrives. "Undo" takes back the last
stroke, "Clear" all of them.

Pointer events serve mouse, touch and pen alike; `touch-action: none` keeps a finger that draws
from scrolling the page. Its HTML, CSS and JS live in ui/components/draw_canvas/; the server sends
them inline: the browser fetches no file or script from anywhere.

`problem_text` words what keeps a drawing or an uploaded photo from becoming a digit.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vae_core.drawing import MAX_UPLOAD_BYTES, DrawingError, megabytes

from .components import asset
from .texts import decimal, number, plain, t

UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20  # the upload limit in whole megabytes, as the page writes it

_canvas = st.components.v2.component(
    "latent_lab_draw_canvas",
    html=asset("draw_canvas", "canvas.html"),
    css=asset("draw_canvas", "canvas.css"),
    js=asset("draw_canvas", "canvas.js"),
)


def _ignore() -> None:
    """The state's change callback: the rerun it causes is all the page needs."""


def drawing_canvas(*, key: str, label: str, hint: str, undo: str, clear: str) -> Any:
    """Draw the canvas; returns the strokes sent by its browser ([] or None before any)."""
    texts = {"label": label, "hint": hint, "undo": undo, "clear": clear}
    result = _canvas(key=key, data=texts, default={"strokes": []}, on_strokes_change=_ignore, width="stretch")
    return result.get("strokes")  # a ComponentResult is a dict


def problem_text(problem: DrawingError, name: str, image_shape: tuple[int, ...]) -> str:
    """The message for a drawing or an upload (file `name`) that cannot become a digit of
    `image_shape` (C, H, W), with its numbers as the language writes them."""
    d = problem.details
    values = {
        "too_big": lambda: {"size": decimal(megabytes(d["size"])), "limit": UPLOAD_MB},
        "not_image": lambda: {"name": plain(name)},
        "too_many_pixels": lambda: {"pixels": decimal(d["pixels"] / 1e6), "limit": number(d["limit"] / 1e6, ".0f")},
        "unsupported_size": lambda: {"w": image_shape[-1], "h": image_shape[-2]},
    }.get(problem.reason, dict)()
    return t(f"draw.error.{problem.reason}", **values)

"""A square to draw a digit on, with a mouse, a finger or a pen: a small `st.components.v2` component.

The browser keeps the strokes and draws them; when a stroke ends (the pointer lifts) it sends all
of them to the server as the component's state: a list of strokes, each a list of [x, y] points
in [0, 1] (x to the right, y down), rounded to a thousandth of the side, a point every half
percent of the side at most. The server draws them again at the size it needs
(`vae_core.drawing.prepare_strokes`), which checks what arrives. "Undo" takes back the last
stroke, "Clear" all of them, "Example" draws a 7 (also E, Backspace and Delete on the focused
canvas: no pointer needed). A canvas drawn again (after the page showed something else) starts
from the strokes it last sent.

Pointer events serve mouse, touch and pen alike; `touch-action: none` keeps a finger that draws
from scrolling the page. Its HTML, CSS and JS live in ui/components/draw_canvas/; the server sends
them inline: the browser fetches no file or script from anywhere.

`problem_text` words what keeps a drawing or an uploaded photo from becoming a digit.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vae_core.drawing import MAX_UPLOAD_BYTES, DrawingError, check_strokes, megabytes

from .components import asset
from .texts import decimal, number, plain, t

UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20  # the upload limit in whole megabytes, as the page writes it

KEPT = "_kept"  # suffix of the plain entry that keeps a canvas's last strokes

_canvas = st.components.v2.component(
    "latent_lab_draw_canvas",
    html=asset("draw_canvas", "canvas.html"),
    css=asset("draw_canvas", "canvas.css"),
    js=asset("draw_canvas", "canvas.js"),
)


def _ignore() -> None:
    """The state's change callback: the rerun it causes is all the page needs."""


def drawing_canvas(
    *,
    key: str,
    label: str,
    hint: str,
    undo: str,
    clear: str,
    example: str,
    background: str | None = None,
    pen: float | None = None,
    example_strokes: list[list[list[float]]] | None = None,
) -> Any:
    """Draw the canvas; returns the strokes sent by its browser ([] or None before any).

    With a `background` (a picture's data URL) it paints a mask over that picture: translucent
    strokes `pen` of the side wide, `example_strokes` for its Example button.
    The last strokes are also kept in a plain session entry: a page that stops drawing the canvas
    (the Draw page's switch to Upload) drops its state, and the canvas drawn again starts from them."""
    kept = st.session_state.get(key + KEPT, [])
    texts = {"label": label, "hint": hint, "undo": undo, "clear": clear, "example": example, "strokes": kept}
    if background is not None:
        texts |= {"background": background, "pen": pen, "exampleStrokes": example_strokes}
    result = _canvas(key=key, data=texts, default={"strokes": kept}, on_strokes_change=_ignore, width="stretch")
    strokes = result.get("strokes")  # a ComponentResult is a dict
    try:
        st.session_state[key + KEPT] = [points.tolist() for points in check_strokes(strokes or [])]
    except DrawingError:  # refused: the page says so; what was kept stays
        pass
    return strokes


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

"""The Fill-in page's pieces: the models it compares and their names, the digit with its hidden part
tinted, one model's completion (its steps, the result, its figures) and the validation table."""

from __future__ import annotations

import numpy as np
import streamlit as st

from vae_core.drawing import DrawingError, check_strokes
from vae_core.imputation import BRUSH, Completion, hidden_error, painted_mask

from .cached_models import LoadedModel
from .canvas import drawing_canvas
from .images import picture_url
from .texts import decimal, number, t

COLUMNS = {"ae": "model.ae.long", "vae": "model.vae.long", "diffusion": "generative.model.diffusion"}
HIDDEN_TINT = np.array([0.90, 0.62, 0.0], dtype=np.float32)  # Okabe–Ito orange: the hidden pixels


def mask_picture(image: np.ndarray, hidden: np.ndarray, side: int) -> str:
    """The digit (1, 1, H, W) as the models get it, its hidden pixels tinted orange instead of black so
    that the hole shows as a hole."""
    grey = np.repeat(np.asarray(image, dtype=np.float32)[:, :1], 3, axis=1)  # (1, 3, H, W)
    grey[0][:, hidden] = HIDDEN_TINT[:, None]
    return picture_url(grey, min_side=side, padding=0)


MASK_CANVAS_KEY = "fill_mask_canvas"
EXAMPLE_MASK = [[[0.12, 0.62], [0.88, 0.62]], [[0.12, 0.72], [0.88, 0.72]]]  # a band across the lower middle


def painted_over(image: np.ndarray, image_shape: tuple[int, ...], side: int) -> np.ndarray:
    """A canvas showing the digit (1, C, H, W), on which the user paints what to hide; the (H, W) mask
    painted so far (all False before any stroke, or when what arrives is refused)."""
    strokes = drawing_canvas(
        key=MASK_CANVAS_KEY,
        label=t("fill_in.paint_label"),
        hint="",
        undo=t("draw.undo"),
        clear=t("draw.clear"),
        example=t("fill_in.paint_example"),
        background=picture_url(image, min_side=side, padding=0),
        pen=BRUSH,
        example_strokes=EXAMPLE_MASK,
    )
    try:
        return painted_mask(check_strokes(strokes or []), image_shape[1], image_shape[2], brush=BRUSH)
    except DrawingError:
        return np.zeros(image_shape[1:], dtype=bool)


def show_completion(
    done: Completion,
    truth: np.ndarray,
    hidden: np.ndarray,
    kind: str,
    read: int | None,
    truth_label: int | None,
    side: int,
) -> None:
    """The result at full size, the steps that led to it in a row, the error on the hidden pixels and
    the evaluator's reading (against the true digit where there is one)."""
    st.image(picture_url(done.result, min_side=side, padding=0), width=side, alt=t("alt.fill_in.result"))
    st.image(
        picture_url(done.steps[:, 0], padding=1),
        width="stretch",
        alt=t("alt.fill_in.steps", count=len(done.step_numbers)),
    )
    steps = ", ".join(number(n) for n in done.step_numbers)
    st.caption(t(f"fill_in.steps.{kind}", steps=steps))
    error = float(hidden_error(done.result, truth, hidden)[0])
    st.markdown(t("fill_in.error", error=decimal(error, 3)))
    if read is not None:
        if truth_label is None:
            st.markdown(t("fill_in.read", digit=read))
        else:
            st.markdown(t("fill_in.read_right" if read == truth_label else "fill_in.read_wrong", digit=read))


def completers(models: dict[str, LoadedModel]) -> tuple[tuple[str, LoadedModel, str], ...]:
    """Every (name, model, method) the validation table compares: both methods of the AE and the VAE,
    and the diffusion model's sampling."""
    rows: list[tuple[str, LoadedModel, str]] = []
    for kind in ("ae", "vae"):
        if kind in models:
            rows += [(t(f"fill_in.row.{kind}.{method}"), models[kind], method) for method in ("optimise", "iterate")]
    if "diffusion" in models:
        rows.append((t("fill_in.row.diffusion"), models["diffusion"], "sample"))
    return tuple(rows)


def figures_table(rows: list[tuple[str, float, float]]) -> str:
    """A markdown table: each method's mean error on the hidden pixels and share read as the true digit;
    the best of each column in bold."""
    best_error = min(error for _, error, _ in rows)
    best_read = max(read for _, _, read in rows)
    head = f"| {t('fill_in.table.method')} | {t('fill_in.table.error')} | {t('fill_in.table.read')} |\n|:--|--:|--:|"
    lines = []
    for name, error, read in rows:
        error_text, read_text = decimal(error, 3), t("fill_in.table.percent", pct=decimal(100 * read, 0))
        lines.append(
            f"| {name} | {f'**{error_text}**' if error == best_error else error_text} "
            f"| {f'**{read_text}**' if read == best_read else read_text} |"
        )
    return "\n".join([head, *lines])

"""Page furniture shared by the model pages: the AE | VAE columns, the notice for a missing model,
and the latent scatter of the validation codes."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from vae_core import Projection

from .cached_models import LoadedModel
from .compute import ValidationSet
from .figures import latent_scatter
from .picker import PickedModels
from .texts import class_label, kind_label, plot_separators, t


def fragment_slots(count: int) -> list[DeltaGenerator]:
    """A polled fragment's parts, one container each, written on every run whether used or not, so
    that a part which comes or goes (the curves after the first steps) never moves the parts after it.

    Why it matters: when a fragment run interrupts the one before it, Streamlit 1.67 drops that run's
    unsent blocks but keeps its references to pictures the browser already holds; a reference whose
    block has moved lands on another element and the page goes blank (README, "A blank Train page").
    """
    return [st.container() for _ in range(count)]


def missing_model(place: DeltaGenerator, kind: str) -> None:
    """Where a pair has no AE (or no VAE), say so in the place its picture would be."""
    place.info(t("common.missing_model", kind=kind_label(kind)))


def model_columns(picked: PickedModels, section: str = "main") -> list[tuple[DeltaGenerator, LoadedModel]]:
    """AE on the left, VAE on the right, each column headed by its model's name; a missing member is
    said so. `section` tells apart two such rows on one page.

    Each column holds its name and then its picture, so where the columns stack (a phone) every
    picture is under its own name. On a wide screen the names keep two lines' height (PAGE_STYLE),
    so the pictures side by side start at the same height and are compared tile by tile."""
    present: list[tuple[DeltaGenerator, LoadedModel]] = []
    for column, kind in zip(st.columns(2, gap="medium"), ("ae", "vae"), strict=True):
        column.container(key=f"model_name_{section}_{kind}").subheader(t(f"model.{kind}.long"))
        body = column.container(key=f"model_body_{section}_{kind}")
        model = picked.member(kind)
        if model is None:
            missing_model(body, kind)
        else:
            present.append((body, model))
    return present


def axis_titles(projection: Projection, dims: tuple[int, int] = (0, 1)) -> tuple[str, str]:
    """'z1', 'z2' for codes shown as they are; 'PC 1 (43 % of variance)' for PCA; 't-SNE 1' for t-SNE."""
    if projection.method == "pca" and projection.explained_variance_ratio is not None:
        first, second = projection.explained_variance_ratio
        return t("plot.pc", n=1, pct=100 * first), t("plot.pc", n=2, pct=100 * second)
    if projection.method == "tsne":
        return "t-SNE 1", "t-SNE 2"
    return f"z{dims[0] + 1}", f"z{dims[1] + 1}"


def codes_scatter(
    points: np.ndarray, validation: ValidationSet, *, x_title: str, y_title: str, **overlay: Any
) -> go.Figure:
    """The validation codes (N, 2) coloured by class, with the legend and hover texts in the user's
    language; `overlay` adds a rectangle, a path, ellipses or a highlight (`ui.figures.latent_scatter`)."""
    class_names = [class_label(c) for c in validation.class_names]
    return latent_scatter(
        points,
        validation.labels,
        class_names,
        x_title=x_title,
        y_title=y_title,
        legend_title=t("plot.class"),
        hover_label=t("plot.image"),
        separators=plot_separators(),
        **overlay,
    )

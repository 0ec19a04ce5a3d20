"""The Train page's GAN and diffusion model: their settings (a live recipe and its epochs), the start
of a run, and the view of it polled while it trains: both losses, the latest samples, which digits
the samples are read as epoch by epoch, and a warning that names mode collapse.

The recipes themselves are `vae_core.live_recipes`; the page only draws these pieces in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from vae_core.comparison import MISSING_SHARE, mode_collapse
from vae_core.live_recipes import GAN_RECIPES, LIVE_RECIPES, MAX_LIVE_EPOCHS, LiveRecipe
from vae_core.shipped import EVALUATOR_FILE

from .figures import GENERATIVE_COLORS, Curve, curve_panels, share_heatmap
from .images import enlarge, png_data_url
from .layout import fragment_slots
from .paths import checkpoint_dir
from .session_training import TrainingRun, register_finished_models, start_run
from .state import clamp, default
from .style import show_chart
from .texts import duration, number, option_labels, plot_separators, t
from .train_autoencoders import status_line

LATENT = "latent"  # the AE and VAE, as the page trained them before
FAMILIES = [LATENT, "gan", "diffusion"]
GENERATIVE_KEYS = {
    "family": "keep.train_family",
    "recipe": "keep.train_gan_recipe",
    "gan_epochs": "keep.train_gan_epochs",
    "diffusion_epochs": "keep.train_diffusion_epochs",
}
LIVE_DATASET = "mnist"  # the recipes' data set: 28×28 digits, as the evaluator reads them
N_DIGITS = 10


# --- the settings -------------------------------------------------------------------------------


def use_recipe_epochs() -> None:
    """Another recipe brings its own epochs: the collapsing one's take three times as long."""
    recipe = st.session_state[GENERATIVE_KEYS["recipe"]]
    st.session_state[GENERATIVE_KEYS["gan_epochs"]] = LIVE_RECIPES[recipe].settings.epochs


def generative_defaults() -> None:
    k = GENERATIVE_KEYS
    default(k["family"], LATENT, FAMILIES)
    default(k["recipe"], "stable", list(GAN_RECIPES))
    default(k["gan_epochs"], LIVE_RECIPES[st.session_state[k["recipe"]]].settings.epochs, low=1, high=MAX_LIVE_EPOCHS)
    default(k["diffusion_epochs"], LIVE_RECIPES["diffusion"].settings.epochs, low=1, high=MAX_LIVE_EPOCHS)
    clamp(k["gan_epochs"], 1, MAX_LIVE_EPOCHS)
    clamp(k["diffusion_epochs"], 1, MAX_LIVE_EPOCHS)


def family_choice(busy: bool) -> str:
    generative_defaults()
    return st.radio(
        t("train.generative.family"),
        FAMILIES,
        key=GENERATIVE_KEYS["family"],
        horizontal=True,
        disabled=busy,
        help=t("train.generative.family_help"),
        format_func=option_labels(FAMILIES, "train.generative.family"),
    )


@dataclass(frozen=True)
class LiveChoice:
    """A live recipe and its epochs, as the widgets hold them when Start is pressed."""

    recipe: str  # a key of LIVE_RECIPES
    epochs: int

    def live_recipe(self) -> LiveRecipe:
        """ValueError if the epochs are not a run's."""
        return LIVE_RECIPES[self.recipe].with_epochs(int(self.epochs))


def _estimate(recipe: LiveRecipe, epochs: int) -> str:
    return t(
        "train.generative.estimate",
        time=duration(recipe.seconds_per_epoch * epochs),
        epoch=duration(recipe.seconds_per_epoch),
    )


def live_settings(family: str, busy: bool) -> LiveChoice:
    """A GAN's recipe and epochs, or a diffusion model's epochs."""
    c1, c2 = st.columns(2, gap="large")
    if family == "gan":
        recipe = c1.radio(
            t("train.generative.recipe"),
            list(GAN_RECIPES),
            key=GENERATIVE_KEYS["recipe"],
            horizontal=True,
            disabled=busy,
            format_func=option_labels(GAN_RECIPES, "train.generative.recipe"),
            on_change=use_recipe_epochs,
        )
        c1.caption(t(f"train.generative.recipe_note.{recipe}"))
        epochs_key = GENERATIVE_KEYS["gan_epochs"]
    else:
        recipe = "diffusion"
        c1.caption(t("train.generative.diffusion_note"))
        epochs_key = GENERATIVE_KEYS["diffusion_epochs"]
    epochs = c2.number_input(
        t("train.generative.epochs", max=MAX_LIVE_EPOCHS),
        1,
        MAX_LIVE_EPOCHS,
        step=1,
        key=epochs_key,
        disabled=busy,
        help=t("train.generative.epochs_help"),
    )
    c2.caption(_estimate(LIVE_RECIPES[recipe], int(epochs)))
    return LiveChoice(recipe, int(epochs))


def evaluator_path() -> Path | None:
    """The shipped evaluator classifier, which reads a GAN's samples for the class shares; None if absent."""
    path = checkpoint_dir() / EVALUATOR_FILE
    return path if path.is_file() else None


def start_live_run(choice: LiveChoice) -> TrainingRun:
    """One job, on MNIST; ValueError for settings that are not a run's."""
    recipe = choice.live_recipe()
    return start_run(
        dataset=LIVE_DATASET,
        kinds=[recipe.kind],
        config=recipe.config,
        settings=recipe.settings,
        labels={recipe.kind: f"{recipe.kind}-{choice.recipe}-{LIVE_DATASET}" if recipe.kind == "gan" else recipe.kind},
        recipe=choice.recipe,
        evaluator=evaluator_path(),
    )


# --- the run's view -----------------------------------------------------------------------------


def model_name(run: TrainingRun) -> str:
    return t(f"train.generative.model.{run.recipe}")


def shares_of_row(row: dict[str, float]) -> np.ndarray | None:
    """The class shares (10,) an epoch's row carries, or None when the evaluator did not read it."""
    if f"share_{N_DIGITS - 1}" not in row:
        return None
    return np.array([row[f"share_{d}"] for d in range(N_DIGITS)])


def _digit_list(digits: Sequence[int]) -> str:
    """'3s, 5s and 8s' / '3, 5 e 8'."""
    names = [t("train.generative.digits", d=d) for d in digits]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {t('train.generative.and')} {names[-1]}"


def collapse_message(model: str, shares: Sequence[float]) -> str | None:
    """The warning for shares that show mode collapse (digits missing, or one taking over); None otherwise."""
    shares = np.asarray(shares, dtype=np.float64)
    found = mode_collapse(shares)
    if not found.collapsed:
        return None
    parts = []
    if found.missing:
        key = "train.generative.collapse.missing" if len(found.missing) > 1 else "train.generative.collapse.missing_one"
        parts.append(t(key, digits=_digit_list(found.missing), share=number(100 * MISSING_SHARE, ".0f")))
    if found.dominant is not None:
        share = number(100 * shares[found.dominant], ".0f")
        parts.append(t("train.generative.collapse.dominant", share=share, digit=found.dominant))
    return t("train.generative.collapse", model=model, what=" ".join(parts))


def _result(rows: list[dict[str, float]]) -> str:
    shares = shares_of_row(rows[-1]) if rows else None
    if shares is None:
        return ""
    return t("train.generative.result.gan", classes=N_DIGITS - len(mode_collapse(shares).missing))


def _curves(kind: str, curve: dict[str, list[float]]) -> list[Curve]:
    if kind == "gan":
        return [
            Curve(t(f"train.generative.curve.{part}"), curve["step"], curve[part], GENERATIVE_COLORS[part])
            for part in ("generator", "discriminator")
        ]
    return [Curve(t("train.generative.curve.diffusion"), curve["step"], curve["loss"], GENERATIVE_COLORS["diffusion"])]


def _share_chart(rows: list[dict[str, float]]) -> go.Figure | None:
    read = [(int(r["epoch"]), s) for r in rows if (s := shares_of_row(r)) is not None]
    if not read:
        return None
    percent = np.array([s for _, s in read]) * 100  # (epochs, 10)
    return share_heatmap(
        percent,
        [e for e, _ in read],
        x_title=t("train.generative.shares_x"),
        y_title=t("train.generative.shares_y"),
        hover=t("train.generative.shares_hover"),
        cell_text=[[number(v, ".0f") for v in row] for row in percent],
        separators=plot_separators(),
    )


def generative_progress(run: TrainingRun, polling: bool) -> None:
    """Status, both losses, samples and class shares; the page runs it as a fragment, twice a second
    while training."""
    [(kind, snap)] = run.snapshots().items()
    name = model_name(run)
    status, curves, pictures = fragment_slots(3)
    with status:
        status_line(name, run.jobs[kind], snap, lambda: _result(snap.epoch_rows))
        last = shares_of_row(snap.epoch_rows[-1]) if snap.epoch_rows else None
        if snap.finished and last is not None and (message := collapse_message(name, last)) is not None:
            st.warning(message, icon=":material/warning:")  # the verdict on the model saved; early epochs often look so
    if snap.curve["step"]:
        fig = curve_panels(
            _curves(kind, snap.curve),
            x_title=t("train.curve.x"),
            y_title=t("train.generative.curve.y"),
            separators=plot_separators(),
        )
        with curves:
            show_chart(fig, key="train_generative_curves")
            if kind == "gan":
                st.caption(t("train.generative.curve_note.gan"))
    left, right = pictures.columns(2, gap="large")
    if snap.preview is not None:
        left.markdown(f"**{t('train.generative.preview_title')}**")
        caption = (
            t("train.generative.preview_saved", model=name)
            if snap.checkpoint_path
            else t("train.generative.preview", model=name, epoch=len(snap.epoch_rows))
        )
        left.image(
            png_data_url(enlarge(snap.preview, 480)),
            width="stretch",
            caption=caption,
            alt=t("alt.train.preview", model=name),
        )
    if kind == "gan":
        with right:
            st.markdown(f"**{t('train.generative.shares_title')}**")
            chart = _share_chart(snap.epoch_rows)
            if chart is not None:
                show_chart(chart, key="train_generative_shares")
                st.caption(t("train.generative.shares_note"))
            elif run.jobs[kind].evaluator is None:
                st.info(t("train.generative.no_evaluator"))
    if snap.finished:
        register_finished_models()  # inside the fragment, as the AE/VAE view does
        if polling:
            st.rerun()  # a full rerun: polling stops and the controls come back

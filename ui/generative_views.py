"""The page "VAE, GAN, diffusion": its models, cached pictures, tables and charts.

The figures of 5,000 samples per model were measured when the models were built and are read from
their checkpoints (`vae_core.pretrain.record_comparison`); what a student asks for (samples of a
seed, a path, an encoding) is drawn here and cached per server, so a class asking for the same seed
draws it once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from vae_core import CheckpointError, count_parameters, grid_codes
from vae_core.comparison import Encoding, encode_and_decode, mode_collapse, shares_of
from vae_core.draw_ahead import DrawAhead, Drawing, draw
from vae_core.generative import decode_noise, sampling_seconds
from vae_core.shipped import COMPARED, EVALUATOR_FILE

from .cached_models import MODEL_HASH, LoadedModel, load_shipped
from .figures import axis_style, chart_layout
from .images import picture_url
from .texts import decimal, duration, language, number, plain, plot_separators, t

SAMPLES_SHOWN = 16  # a 4×4 grid per model
GRID_SIDE = 9  # the 2-D latent grids, as the Latent grid page's default
GRID_EXTENT = 2.5  # ±2.5 standard deviations of N(0, I): nearly all of the prior's mass
# Nested: 5 images are every other one of 9, and 3 every fourth, so one drawing of a path serves all.
PATH_IMAGES = (3, 5, 9)
SEEDS_AHEAD = 3  # a class reached a new seed every 7 s; a seed costs the child 1.2 s of CPU, with what is left over
DRAWN_AHEAD = ("diffusion",)  # the kinds whose pictures cost more than a class can wait for (45 ms an image)
MAIN = ("ae", "vae", "gan", "diffusion")  # the four families, side by side
TABLE_ORDER = ("ae", "vae", "vae_2d", "gan", "gan_2d", "gan_collapse", "diffusion")


@dataclass(frozen=True)
class Compared:
    """The compared models that could be loaded, and a note for each that could not."""

    models: dict[str, LoadedModel]
    problems: dict[str, str]

    def get(self, key: str) -> LoadedModel | None:
        return self.models.get(key)


# The loaded models by their file versions, and what could not be loaded: what the cached views depend on.
COMPARED_HASH = {Compared: lambda c: (sorted((k, m.key) for k, m in c.models.items()), sorted(c.problems.items()))}


def compared_models() -> Compared:
    models, problems = {}, {}
    for key, name in COMPARED.items():
        try:
            loaded = load_shipped(name)
        except CheckpointError as exc:
            problems[key] = str(exc)
            continue
        if loaded is None:
            problems[key] = t("generative.missing_file", name=plain(name))
        else:
            models[key] = loaded
    return Compared(models, problems)


def model_name(key: str) -> str:
    return t(f"generative.model.{key}")


def show_missing(key: str, compared: Compared) -> None:
    st.info(t("generative.missing", model=model_name(key), detail=compared.problems.get(key, "")))


# --- pictures, cached per server -----------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=2, hash_funcs=MODEL_HASH)
def draw_ahead_process(model: LoadedModel) -> DrawAhead:
    """One child process per server and file version, holding its own copy of the model."""
    return DrawAhead(model.model).start()


def _drawn(model: LoadedModel, drawing: Drawing) -> np.ndarray:
    """What the child drew ahead, if it has; else drawn here (the child is told to drop it)."""
    if model.kind in DRAWN_AHEAD and (images := draw_ahead_process(model).take(drawing)) is not None:
        return images
    return draw(model.model, drawing)


def _samples(seed: int) -> Drawing:
    return Drawing("samples", seed, n=SAMPLES_SHOWN)


def _path(seed_a: int, seed_b: int, method: str) -> Drawing:
    return Drawing("path", seed_a, n=PATH_IMAGES[-1], seed_b=seed_b, method=method)


def draw_next_seeds(model: LoadedModel | None, seed: int, method: str) -> None:
    """Ask the child for what "New samples" will show next, before anyone presses it. A class moves
    through the seeds together: a few seeds ahead, so the child stays in front of the first to press."""
    if model is None or model.kind not in DRAWN_AHEAD:
        return
    ahead = []
    for after in range(seed + 1, seed + 1 + SEEDS_AHEAD):  # the samples first: they top the page
        ahead += [_samples(after), _path(after, after + 1, method), Drawing("reverse", after)]
    draw_ahead_process(model).ask(*ahead)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=MODEL_HASH)
def samples_picture(model: LoadedModel, seed: int) -> str:
    return picture_url(_drawn(model, _samples(seed)), per_row=4, min_side=280)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=MODEL_HASH)
def latent_grid_picture(model: LoadedModel) -> str:
    """The 2-D model's decoder (or generator) over a 9×9 grid of z from −2.5 to 2.5: the MNIST manifold."""
    codes = grid_codes(GRID_SIDE, latent_dim=2, extent=GRID_EXTENT)
    return picture_url(decode_noise(model.model, codes), per_row=GRID_SIDE, min_side=420)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def _finest_path(model: LoadedModel, seed_a: int, seed_b: int, method: str) -> np.ndarray:
    """The path at its finest, drawn once per pair of seeds: a class moving the number of images
    redraws nothing (a diffusion image costs about 45 ms of CPU)."""
    return _drawn(model, _path(seed_a, seed_b, method))


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def interpolation_picture(model: LoadedModel, seed_a: int, seed_b: int, steps: int, method: str) -> str:
    """`steps` images of the path (one of PATH_IMAGES): every other image of the next finer path."""
    if steps not in PATH_IMAGES:
        raise ValueError(f"a path has {', '.join(map(str, PATH_IMAGES))} images, not {steps}")
    every = (PATH_IMAGES[-1] - 1) // (steps - 1)
    images = _finest_path(model, seed_a, seed_b, method)[::every]
    return picture_url(images, per_row=steps, min_side=560)


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=MODEL_HASH)
def reverse_path_picture(model: LoadedModel, seed: int) -> str:
    """The sampler's states for the first sample of `seed`, noise to digit."""
    states = _drawn(model, Drawing("reverse", seed))
    return picture_url(states, per_row=len(states), min_side=560)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def encoding(model: LoadedModel, image: np.ndarray) -> Encoding:
    return encode_and_decode(model.model, image)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=MODEL_HASH)
def measured_sampling_ms(model: LoadedModel, n: int) -> float:
    """Milliseconds per sample to draw n on this server, now (best of three)."""
    return 1000 * sampling_seconds(model.model, n) / n


# --- the measured figures --------------------------------------------------------------------------


def figures(model: LoadedModel) -> dict[str, float]:
    return {k: v for k, v in model.info.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def has_figures(model: LoadedModel) -> bool:
    return "fd" in model.info.metrics


def likelihood_text(key: str, model: LoadedModel) -> str:
    f = figures(model)
    if model.kind == "vae" and "elbo" in f:
        if "iwae" in f:
            return t("generative.likelihood.vae", elbo=decimal(f["elbo"]), iwae=decimal(f["iwae"]))
        return t("generative.likelihood.vae_elbo", elbo=decimal(f["elbo"]))
    return t(f"generative.likelihood.{model.kind}")


def real_figures() -> dict[str, float]:
    """The training images' own figures against the validation images (recorded in the evaluator's
    checkpoint as real_*): the floor of FD and the mark of precision, recall and sharpness."""
    try:
        evaluator = load_shipped(EVALUATOR_FILE)
    except CheckpointError:
        return {}
    if evaluator is None:
        return {}
    return {k.removeprefix("real_"): v for k, v in figures(evaluator).items() if k.startswith("real_")}


def _row(name: str, f: dict[str, float]) -> dict[str, str]:
    return {
        t("generative.col.model"): name,
        t("generative.col.fd"): decimal(f["fd"], 0),
        t("generative.col.precision"): decimal(f["precision"], 2),
        t("generative.col.recall"): decimal(f["recall"], 2),
        t("generative.col.classes"): str(10 - len(mode_collapse(shares_of(f)).missing)),
        t("generative.col.sharpness"): decimal(f.get("sharpness", float("nan")), 3),
    }


def figure_rows(compared: Compared, real: dict[str, float]) -> list[dict[str, str]]:
    """One row per measured model, real digits first: the table under the samples."""
    dash = "—"
    rows = []
    if "fd" in real:
        rows.append(
            _row(t("generative.model.real"), real)
            | {
                t("generative.col.sample_ms"): dash,
                t("generative.col.training"): dash,
                t("generative.col.parameters"): dash,
                t("generative.col.likelihood"): dash,
            }
        )
    for key in TABLE_ORDER:
        model = compared.get(key)
        if model is None or not has_figures(model):
            continue
        f = figures(model)
        rows.append(
            _row(model_name(key), f)
            | {
                t("generative.col.sample_ms"): decimal(f["sample_ms"], 2),
                t("generative.col.training"): duration(model.info.train_seconds),
                t("generative.col.parameters"): number(count_parameters(model.model), ",.0f"),
                t("generative.col.likelihood"): likelihood_text(key, model),
            }
        )
    return rows


FAIR_SHARE = 10.0  # % : ten digits drawn equally
SHARES_AXIS_MAX = 30.0  # % : a fair share is 10 %, so one bar above 30 % is a digit taking over


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=COMPARED_HASH)
def _share_charts(compared: Compared, lang: str) -> list[tuple[str, go.Figure]]:
    """Built once per server and language, shared read-only by every session: building plotly
    figures took half of a rerun of the page. `lang` keys the cache; the texts read it through t()."""
    charts = []
    for key in TABLE_ORDER:
        if (model := compared.get(key)) is None or not has_figures(model):
            continue
        shares = shares_of(figures(model)) * 100  # (10,) in %
        fig = go.Figure(
            go.Bar(
                x=[str(d) for d in range(10)],
                y=shares,
                marker_color="#1f77b4",
                hovertemplate=t("generative.shares_hover") + "<extra></extra>",
            )
        )
        fig.add_hline(y=FAIR_SHARE, line_dash="dash", line_color="#555555")
        fig.update_layout(**chart_layout(height=210, separators=plot_separators()), showlegend=False)
        fig.update_xaxes(**axis_style(t("generative.shares_x")), type="category")
        fig.update_yaxes(**axis_style("%"), range=[0, max(SHARES_AXIS_MAX, float(shares.max()) * 1.05)])
        charts.append((model_name(key), fig))
    return charts


def share_charts(compared: Compared) -> list[tuple[str, go.Figure]]:
    """One small bar chart per measured model, with its name: the share (%) of its samples the
    evaluator reads as each digit. A fair model's bars stand near the dashed 10 % line; mode
    collapse leaves bars out. One chart per model so that each sits under its own name on a phone."""
    return _share_charts(compared, language())


def inversion_chart(errors: tuple[float, ...]) -> go.Figure:
    fig = go.Figure(go.Scatter(y=list(errors), x=list(range(1, len(errors) + 1)), mode="lines"))
    fig.update_layout(**chart_layout(height=220, separators=plot_separators()), showlegend=False)
    fig.update_xaxes(**axis_style(t("generative.inversion_x")))
    fig.update_yaxes(**axis_style(t("generative.inversion_y")), type="log")
    return fig


CARDS_PER_ROW = 4


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=COMPARED_HASH)
def _figure_cards(compared: Compared, real: dict[str, float], lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Built once per server and language and shared read-only, as `_share_charts`."""
    model = t("generative.col.model")
    cards = []
    for row in figure_rows(compared, real):
        names = [k for k in row if k != model]
        cards.append((row[model], pd.DataFrame({t("generative.col.value"): [row[k] for k in names]}, index=names)))
    return cards


def figure_cards(compared: Compared, real: dict[str, float]) -> list[tuple[str, pd.DataFrame]]:
    """`figure_rows` as one two-column table per model (figure, value), with its model's name: a
    wide table of ten columns runs off a phone's screen."""
    return _figure_cards(compared, real, language())


def _history_span(model: LoadedModel) -> tuple[float, float, int]:
    """The first and last epoch's loss (the validation loss where there is one) and the epochs."""
    history = model.info.history
    name = "val_loss" if history and "val_loss" in history[0] else "loss"
    return float(history[0][name]), float(history[-1][name]), len(history)


def notes_rows(compared: Compared, real: dict[str, float]) -> list[dict[str, str]]:
    """The course notes' comparison, a row per claim, each cell backed by a figure of the models
    on this page (a cell whose model is missing says so)."""
    columns = ("vae", "gan", "diffusion")
    missing = t("generative.notes.missing")

    def cell(claim: str, key: str) -> str:
        model = compared.get(key)
        if model is None or not has_figures(model):
            return missing
        f = figures(model)
        values: dict[str, object] = {}
        if claim == "stability":
            if key == "gan":
                collapse = compared.get("gan_collapse")
                if collapse is None or not has_figures(collapse):
                    return missing
                values["classes"] = 10 - len(mode_collapse(shares_of(figures(collapse))).missing)
            else:
                first, last, epochs = _history_span(model)
                values |= {"first": decimal(first, 3 if key == "diffusion" else 1), "epochs": epochs}
                values["last"] = decimal(last, 3 if key == "diffusion" else 1)
        elif claim == "sharpness":
            values["pct"] = number(100 * f.get("sharpness", 0.0) / real["sharpness"], ".0f") if real else "?"
        elif claim == "diversity":
            values |= {"recall": decimal(f["recall"], 2), "classes": 10 - len(mode_collapse(shares_of(f)).missing)}
        elif claim == "latent":
            cfg = model.info.config
            values["dim"] = getattr(cfg, "latent_dim", 0)
            values["pixels"] = number(int(np.prod(cfg.image_shape)), ",.0f")
        elif claim == "likelihood":
            return likelihood_text(key, model)
        elif claim == "speed":
            values["ms"] = decimal(f["sample_ms"], 2)
            if key == "diffusion":
                values["passes"] = 2 * model.info.config.sampler_steps - 1
        return t(f"generative.notes.{claim}.{key}", **values)

    rows = []
    for claim in ("stability", "sharpness", "diversity", "latent", "likelihood", "speed", "uses"):
        row = {t("generative.col.claim"): t(f"generative.notes.{claim}")}
        for key in columns:
            row[model_name(key)] = t(f"generative.notes.uses.{key}") if claim == "uses" else cell(claim, key)
        rows.append(row)
    return rows


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=COMPARED_HASH)
def _notes_tables(compared: Compared, real: dict[str, float], lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Built once per server and language and shared read-only, as `_share_charts`."""
    claim = t("generative.col.claim")
    tables = []
    for row in notes_rows(compared, real):
        models = [k for k in row if k != claim]
        tables.append(
            (row[claim], pd.DataFrame({t("generative.col.evidence"): [row[k] for k in models]}, index=models))
        )
    return tables


def notes_tables(compared: Compared, real: dict[str, float]) -> list[tuple[str, pd.DataFrame]]:
    """`notes_rows` as one table per claim: the models down, what backs the claim beside each."""
    return _notes_tables(compared, real, language())

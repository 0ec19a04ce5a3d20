"""The β page's pieces: the ladder of VAEs it loads (each rung a model and its figures, or what keeps
it from being shown), the shared axis of its KL charts, and how it writes nats and negative numbers.

The page itself draws the controls and one column per rung.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from vae_core import CheckpointError, Evaluation
from vae_core.evaluation import ACTIVE_UNIT_NATS
from vae_core.shipped import BETA_LADDER

from .cached_models import LoadedModel, load_shipped
from .compute import validation_figures
from .texts import dataset_label, decimal, number, plain, t


@dataclass(frozen=True)
class Rung:
    """One β of the ladder: its model and figures, or what keeps it from being shown."""

    beta: float
    file: str
    model: LoadedModel | None = None
    figures: Evaluation | None = None
    problem: str = ""  # a translated message, shown in the model's column
    broken: bool = False  # the file is there but cannot be read: an error, not a warning


def load_rung(beta: float, file: str, dataset: str | None) -> Rung:
    """The ladder's model for `beta`; a missing, unreadable or unsuitable file gives a Rung with a problem."""
    try:
        model = load_shipped(file)
    except CheckpointError as exc:
        return Rung(beta, file, problem=t("beta.broken", beta=number(beta), message=plain(str(exc))), broken=True)
    if model is None:
        return Rung(beta, file, problem=t("beta.missing", beta=number(beta), file=plain(file), stem=file[:-3]))
    if not model.is_variational or (dataset is not None and model.dataset != dataset):
        expected = dataset_label(dataset or model.dataset)
        return Rung(beta, file, problem=t("beta.unsuitable", beta=number(beta), file=plain(file), dataset=expected))
    return Rung(beta, file, model, validation_figures(model))


def load_ladder() -> list[Rung]:
    """Every rung of `BETA_LADDER`, smallest β first; the first model that loads fixes the data set
    the others must share."""
    rungs: list[Rung] = []
    for beta, file in sorted(BETA_LADDER.items()):
        first = next((r.model for r in rungs if r.model is not None), None)
        rungs.append(load_rung(beta, file, first.dataset if first is not None else None))
    return rungs


def show_problem(rung: Rung) -> None:
    """What keeps a rung from being shown: an error for a broken file, a warning otherwise."""
    (st.error if rung.broken else st.warning)(rung.problem, icon=":material/warning:")


def kl_range(rungs: list[Rung]) -> tuple[float, float]:
    """One KL axis (log scale) for every rung's bar chart, so that their bars compare by length: from
    half the smallest positive KL to twice the largest, the active-unit threshold always inside."""
    all_kl = np.concatenate([r.figures.kl_per_dim for r in rungs if r.figures and r.figures.kl_per_dim is not None])
    positive = all_kl[all_kl > 0]
    low = min(float(positive.min()) if len(positive) else ACTIVE_UNIT_NATS, ACTIVE_UNIT_NATS) / 2
    return low, max(float(all_kl.max()), ACTIVE_UNIT_NATS) * 2


def minus(text: str) -> str:
    """A typeset minus sign: −112.0, not -112.0."""
    return text.replace("-", "\u2212")


def nats(value: float) -> str:
    """2.38, or 0.0005 for a switched-off dimension (not 0.00: it is small, not nothing)."""
    return decimal(value, 2) if value >= 0.005 else number(value, ".1g")

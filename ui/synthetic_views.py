"""The Synthetic-data page's experiment: its button, its progress while it runs in a child process, then
the accuracies as a chart, a table and a verdict read from the figures themselves."""

from __future__ import annotations

import numpy as np
import streamlit as st

from vae_core.augmentation import CONDITIONS, ExperimentResult, ExperimentSettings

from .cached_models import LoadedModel
from .compute import experiment
from .figures import augmentation_chart
from .style import show_chart
from .texts import decimal, number, plain, plot_separators, t

POLL_SECONDS = 1.0


NNBSP = "\u202f"  # narrow and no-break: a table cell stays on one line and fits a phone


def percent(mean: float, spread: float, unit: str = " %") -> str:
    return f"{decimal(100 * mean)} ± {decimal(100 * spread)}{unit}".replace(" ", NNBSP)


def experiment_table(result: ExperimentResult) -> str:
    """One row per number of real digits per class: the mean accuracy ± its spread over runs, per condition."""
    means = {c: result.mean(c) for c in CONDITIONS}
    spreads = {c: result.spread(c) for c in CONDITIONS}
    head = [t("synthetic.table.real_per_class"), *(t(f"synthetic.condition.{c}") + " (%)" for c in CONDITIONS)]
    lines = ["| " + " | ".join(head) + " |", "|--:|" + "--:|" * len(CONDITIONS)]
    for i, k in enumerate(result.settings.real_per_class):
        cells = [percent(means[c][i], spreads[c][i], unit="") for c in CONDITIONS]
        lines.append(f"| {number(k)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(result: ExperimentResult) -> str:
    """Where the synthetic digits help and where they stop helping, in points of accuracy, from the run itself."""
    ks = result.settings.real_per_class
    gains = 100 * (result.mean("real_and_synthetic") - result.mean("real"))
    # "helps" when the gain exceeds both conditions' spreads over runs together
    noise = 100 * (result.spread("real_and_synthetic") + result.spread("real"))
    helped = [k for k, g, n in zip(ks, gains, noise, strict=True) if g > n]
    text = [t("synthetic.verdict.gains", first=number(ks[0]), gain=decimal(gains[0]), last=number(ks[-1]),
              gain_last=decimal(gains[-1]))]  # fmt: skip
    if helped:
        text.append(t("synthetic.verdict.helps_up_to", k=number(max(helped))))
    else:
        text.append(t("synthetic.verdict.never_helps"))
    shifted_better = [
        k for k, s, a in zip(ks, result.mean("real_shifted"), result.mean("real_and_synthetic"), strict=True) if s > a
    ]
    if shifted_better:
        text.append(t("synthetic.verdict.shifted_from", k=number(min(shifted_better))))
    return " ".join(text)


def show_results(result: ExperimentResult) -> None:
    ks = result.settings.real_per_class
    lines = [(c, t(f"synthetic.condition.{c}"), result.mean(c), result.spread(c)) for c in CONDITIONS]
    only = np.asarray(result.synthetic_only)
    spread = float(only.std(ddof=1)) if len(only) > 1 else 0.0
    figure = augmentation_chart(
        ks,
        lines,
        (
            t("synthetic.condition.synthetic_only", n=number(result.settings.synthetic_per_class)),
            float(only.mean()),
            spread,
        ),
        x_title=t("synthetic.chart_x"),
        y_title=t("synthetic.chart_y"),
        separators=plot_separators(),
    )
    show_chart(figure, key="synthetic_chart")
    st.markdown(experiment_table(result))
    st.markdown(verdict(result))
    st.caption(
        t(
            "synthetic.experiment_caption",
            runs=number(result.settings.runs),
            only=percent(float(only.mean()), spread),
            seconds=number(round(result.seconds)),
        )
    )


def show_experiment(model: LoadedModel, settings: ExperimentSettings, polling: bool) -> None:
    """The experiment's state; the page runs it as a fragment, once a second while the experiment runs."""
    call = experiment(model, settings, start=False)
    if call is None:
        return
    state = call.state()
    if not state.finished:
        share = state.done / state.total if state.total else 0.0
        st.progress(share, text=t("synthetic.running", done=number(state.done), total=number(state.total or 0)))
        return
    if polling:
        st.rerun()  # a full rerun: polling stops and the button comes back if it failed
    if state.error is not None:
        st.error(t("synthetic.failed", message=plain(state.error)))
        return
    show_results(state.result)

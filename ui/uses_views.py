"""The Uses page's pieces: the lesson's pairs of models it loads, the rows of restored images and their
figures, the scores it compares (the AE's and the VAE's reconstruction error, the VAE's −ELBO) with
their ROC lines, its tables, and what one detector does at a threshold (histograms, counts, the
images it gets wrong, as `vae_core.anomaly` ranks them).

The page itself draws the controls, the rows of images, the ROC chart and one column per model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from vae_core import CheckpointError
from vae_core.anomaly import AnomalyImages, AnomalyScores, Confusion, Roc, false_alarms, misses
from vae_core.corruption import psnr

from .cached_models import LoadedModel, load_shipped
from .compute import restoration, validation_noise, validation_restoration
from .figures import MODEL_COLORS, RocLine, score_histograms
from .images import picture_url
from .style import show_chart
from .texts import decimal, kind_label, plain, plot_separators, t

SHOWN = 8  # flagged or missed images in a row
ELBO_COLOR = "#009E73"  # Okabe–Ito green: the VAE's second score
SCORES = [  # (model, score, its name's text): every score the page compares, in the legend's order
    ("ae", "recon", "uses.score.ae_recon"),
    ("vae", "recon", "uses.score.vae_recon"),
    ("vae", "elbo", "uses.score.vae_elbo"),
]
COLORS = {("ae", "recon"): MODEL_COLORS["ae"], ("vae", "recon"): MODEL_COLORS["vae"], ("vae", "elbo"): ELBO_COLOR}


def lesson_models(files: dict[str, str]) -> dict[str, LoadedModel]:
    """The pair's models that load, by kind; missing files are named in one warning, a broken one in an error."""
    loaded, missing = {}, []
    for kind, name in files.items():
        try:
            model = load_shipped(name)
        except CheckpointError as exc:
            st.error(t("picker.broken", message=plain(str(exc))))
            continue
        if model is None:
            missing.append(name)
        else:
            loaded[kind] = model
    if missing:
        st.warning(t("uses.lesson_missing", files=plain(", ".join(missing))))
    return loaded


def row_picture(images: np.ndarray) -> str:
    """Up to SHOWN images in one row, padded with blank (white) places: every such row on the page has
    the same scale, however few images it holds."""
    blank = np.ones((SHOWN - len(images), *images.shape[1:]), dtype=np.float32)
    return picture_url(np.concatenate([images, blank]))


def figures_line(nats: float, psnr: float) -> str:
    return t("uses.row.figures", nats=decimal(nats), psnr=decimal(psnr))


def restoration_rows(
    clean: np.ndarray,
    noisy: np.ndarray,
    noise: str,
    level: float,
    plain_models: dict[str, LoadedModel],
    denoisers: dict[str, LoadedModel],
    dataset: str,
) -> tuple[list[tuple[str, np.ndarray, str]], list[tuple[str, float | None, float | None]]]:
    """The rows of pictures, as (title, images (N, C, H, W), figures written above them at any width):
    the clean and the noisy images, then each model's restoration of them, the plain model before the
    denoising one and the AE before the VAE; and the rows of `figures_table` for the same models on the
    whole validation split of `dataset`, with this `noise` at this `level`."""
    # Without noise the noisy images are the clean ones: their PSNR would be infinite (capped at 100 dB).
    rows = [
        (t("uses.row.clean"), clean, ""),
        (t("uses.row.noisy"), noisy, t("uses.row.psnr", psnr=decimal(psnr(clean, noisy).mean())) if level else ""),
    ]
    table = [(t("uses.table.noisy"), None, validation_noise(dataset, noise, level)[1] if level else None)]
    for kind in ("ae", "vae"):
        for title, model in (
            (t("uses.row.plain", model=kind_label(kind)), plain_models.get(kind)),
            (t("uses.row.denoising", model=kind_label(kind)), denoisers.get(kind)),
        ):
            if model is not None:
                result = restoration(model, clean, noisy)
                rows.append(
                    (title, result.restored, figures_line(float(result.nats.mean()), float(result.psnr.mean())))
                )
                table.append((title, *validation_restoration(model, noise, level)))
    return rows, table


def figures_table(rows: Sequence[tuple[str, float | None, float | None]]) -> str:
    """The restorations of the whole validation split as a Markdown table: a name, nats and PSNR per
    row, "–" where a figure does not apply."""
    head = f"| {t('uses.table.model')} | {t('uses.table.nats')} | {t('uses.table.psnr')} |\n|:--|--:|--:|\n"
    return head + "\n".join(
        f"| {name} | {'–' if nats is None else decimal(nats)} | {'–' if db is None else decimal(db)} |"
        for name, nats, db in rows
    )


def score_groups(results: dict[str, AnomalyScores], which: str) -> dict[str, np.ndarray]:
    """One score of every group of images (N,) by one model: "recon", or "elbo" (the VAE's −ELBO)."""
    pick = lambda result: result.neg_elbo if which == "elbo" and result.neg_elbo is not None else result.recon
    return {group: pick(result) for group, result in results.items()}


def roc_line(name: str, curve: Roc, count: Confusion, kind: str, which: str) -> RocLine:
    """One score's ROC curve for the chart, named with its area, the threshold's point marked on it."""
    return RocLine(
        t("uses.roc_name", name=name, auc=decimal(curve.auc, 3)),
        curve.false_positive_rate,
        curve.true_positive_rate,
        (count.false_positive_rate, count.true_positive_rate),
        COLORS[kind, which],
        "dash" if which == "elbo" else "solid",
    )


def auc_list(areas: Sequence[tuple[str, float]]) -> str:
    """Each score's name and its area under the ROC curve, as a Markdown list."""
    return "\n".join(f"- {t('uses.auc_item', name=name, auc=decimal(auc, 3))}" for name, auc in areas)


def counts_table(rows: Sequence[tuple[str, int, int]]) -> str:
    """What one threshold does, as a Markdown table: per group its name (and size), images flagged and passed."""
    head = f"| {t('uses.counts.images')} | {t('uses.counts.flagged')} | {t('uses.counts.passed')} |\n|:--|--:|--:|\n"
    return head + "\n".join(f"| {name} ({total}) | {flagged} | {total - flagged} |" for name, flagged, total in rows)


def show_examples(title: str, note: str, picked: np.ndarray, scores: np.ndarray, images: np.ndarray) -> None:
    """A bold title, then, when any are `picked` (indices), their scores (the text `note`) over their row."""
    st.markdown(f"**{title}**")
    if len(picked):
        st.caption(t(note, count=len(picked), scores=", ".join(f"{scores[i]:.0f}" for i in picked)))
        st.image(
            row_picture(images[picked]), width="stretch", alt=t("alt.uses.examples", title=title, count=len(picked))
        )


def show_detector(
    kind: str, scores: dict[str, np.ndarray], threshold: float, count: Confusion, images: AnomalyImages, digit: int
) -> None:
    """One model's detector at one threshold: the two groups' histograms, what it flags in each group,
    and the normal images it flags (the most unusual-looking first) and the unseen ones it misses (the
    most normal-looking first). `scores` (N,) by group, for the groups of `images`."""
    normal, unseen = scores["normal"], scores["unseen"]
    unseen_name = t("uses.group.unseen", digit=digit)
    figure = score_histograms(
        [(t("uses.group.normal"), normal), (unseen_name, unseen)],
        threshold=threshold,
        threshold_label=t("uses.threshold_line", value=decimal(threshold)),
        x_title=t("uses.hist_x"),
        y_title=t("uses.hist_y"),
        separators=plot_separators(),
    )
    show_chart(figure, key=f"uses_hist_{kind}")
    rows = [
        (t("uses.group.normal"), count.normal_flagged, count.normal_flagged + count.normal_passed),
        (unseen_name, count.unusual_flagged, count.unusual_flagged + count.unusual_missed),
        *(
            (t(f"uses.group.{group}"), int((scores[group] >= threshold).sum()), len(scores[group]))
            for group in ("inverted", "noise")
        ),
    ]
    st.markdown(counts_table(rows))
    show_examples(
        t("uses.flagged_title", count=count.normal_flagged),
        "uses.shown_highest",
        false_alarms(normal, threshold, SHOWN),
        normal,
        images.normal,
    )
    show_examples(
        t("uses.missed_title", count=count.unusual_missed, digit=digit),
        "uses.shown_lowest",
        misses(unseen, threshold, SHOWN),
        unseen,
        images.unseen,
    )

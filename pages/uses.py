"""Uses: noisy images come back cleaner, best from models trained on noise; a digit the models never saw
stands out by its score, as an anomaly detector is tuned in practice (ROC curve, a threshold)."""

from ui.shell import page_setup

page_setup("uses")

import numpy as np
import streamlit as st

from ui.catalog import LoadedModel, load_shipped
from ui.compute import (
    anomaly_images,
    restoration,
    unusual_scores,
    validation_noise,
    validation_restoration,
    validation_set,
)
from ui.figures import MODEL_COLORS, RocLine, roc_chart, score_histograms
from ui.images import picture_url
from ui.state import default
from ui.style import show_chart
from ui.texts import decimal, kind_label, option_labels, plain, plot_separators, slider_format, t
from ui.widgets import bump
from vae_core import NOISE_KINDS, CheckpointError, corrupt
from vae_core.anomaly import confusion, percentile_threshold, roc
from vae_core.corruption import psnr
from vae_core.shipped import ANOMALY_PAIR, DENOISING_PAIR, PLAIN_OF_DENOISING, UNSEEN_DIGIT

NOISE_KEY, LEVEL_KEY, SEED_KEY = "keep.uses_noise", "keep.uses_level", "keep.uses_seed"
PERCENTILE_KEY, VAE_SCORE_KEY = "keep.uses_percentile", "keep.uses_vae_score"
DENOISE_COUNT, EXTRA_COUNT, SHOWN = 8, 50, 8  # noisy images in a row; inverted and noise images; flagged or missed
MAX_LEVEL = 0.6
ELBO_COLOR = "#009E73"  # Okabe–Ito green: the VAE's second score


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


# --- denoising --------------------------------------------------------------------------------
st.header(t("uses.denoise_title"))
st.markdown(t("uses.denoise_intro"))
plain_models, denoisers = lesson_models(PLAIN_OF_DENOISING), lesson_models(DENOISING_PAIR)
# The noise the denoising pair was trained with is the starting choice.
start_noise, start_level = "gaussian", 0.3
trained = next((m.info.settings for m in denoisers.values() if m.info.settings.corruption), None)
if trained is not None and trained.corruption is not None:
    start_noise = trained.corruption
    start_level = min(round(trained.corruption_level * 20) / 20, MAX_LEVEL)  # on the slider's steps
    st.caption(t("uses.denoise_trained", noise=t(f"uses.noise.{start_noise}"), level=decimal(trained.corruption_level)))
default(NOISE_KEY, start_noise, list(NOISE_KINDS))
default(LEVEL_KEY, start_level, low=0.0, high=MAX_LEVEL)
default(SEED_KEY, 0, low=0)
c1, c2, c3 = st.columns([2, 2, 1])
noise = c1.radio(
    t("uses.noise"),
    list(NOISE_KINDS),
    key=NOISE_KEY,
    horizontal=True,
    format_func=option_labels(NOISE_KINDS, "uses.noise"),
)
level = c2.slider(
    t("uses.level"), 0.0, MAX_LEVEL, step=0.05, key=LEVEL_KEY, help=t("uses.level_help"), format=slider_format()
)
c3.button(t("uses.new_images"), on_click=bump, args=(SEED_KEY,), icon=":material/casino:", key="uses_new_images")

validation = validation_set(next((m.dataset for m in [*plain_models.values(), *denoisers.values()]), "mnist"))
seed = int(st.session_state[SEED_KEY])
clean = validation.images[np.random.default_rng(seed).choice(len(validation), DENOISE_COUNT, replace=False)]
noisy = corrupt(clean, noise, level, seed=seed)
# (title, images, figures): each row's name and error above its pictures, at any width.
rows = [
    (t("uses.row.clean"), clean, ""),
    (t("uses.row.noisy"), noisy, t("uses.row.psnr", psnr=decimal(psnr(clean, noisy).mean())) if level else ""),
]
# Without noise the noisy images are the clean ones: their PSNR would be infinite (capped at 100 dB).
table = [(t("uses.table.noisy"), None, validation_noise(validation.dataset, noise, level)[1] if level else None)]
for kind in ("ae", "vae"):
    for title, model in (
        (t("uses.row.plain", model=kind_label(kind)), plain_models.get(kind)),
        (t("uses.row.denoising", model=kind_label(kind)), denoisers.get(kind)),
    ):
        if model is not None:
            result = restoration(model, clean, noisy)
            rows.append((title, result.restored, figures_line(float(result.nats.mean()), float(result.psnr.mean()))))
            table.append((title, *validation_restoration(model, noise, level)))
for title, images, figures in rows:
    st.markdown(f"**{title}**" + (f" · {figures}" if figures else ""))
    st.image(picture_url(images), width="stretch")
st.caption(t("uses.figures_note", n=DENOISE_COUNT))
st.markdown(f"**{t('uses.table_title', n=len(validation))}**")
head = f"| {t('uses.table.model')} | {t('uses.table.nats')} | {t('uses.table.psnr')} |\n|:--|--:|--:|\n"
st.markdown(
    head
    + "\n".join(
        f"| {name} | {'–' if nats is None else decimal(nats)} | {'–' if db is None else decimal(db)} |"
        for name, nats, db in table
    )
)

# --- anomaly detection ------------------------------------------------------------------------
st.header(t("uses.anomaly_title"))
detectors = lesson_models(ANOMALY_PAIR)
if not detectors:
    st.stop()
first = next(iter(detectors.values()))
digit = first.info.settings.without_digit
digit = UNSEEN_DIGIT if digit is None else int(digit)
images = anomaly_images(first.dataset, digit, EXTRA_COUNT)
st.markdown(t("uses.anomaly_intro", digit=digit, normal=len(images.normal), unseen=len(images.unseen)))
scores = {kind: unusual_scores(model, digit, EXTRA_COUNT) for kind, model in detectors.items()}


def score_of(kind: str, which: str, group: str) -> np.ndarray:
    """One group's scores (N,) by one model: "recon" or "elbo" (the VAE's −ELBO)."""
    result = scores[kind][group]
    return result.neg_elbo if which == "elbo" and result.neg_elbo is not None else result.recon


SCORES = [
    ("ae", "recon", "uses.score.ae_recon"),
    ("vae", "recon", "uses.score.vae_recon"),
    ("vae", "elbo", "uses.score.vae_elbo"),
]
COLORS = {("ae", "recon"): MODEL_COLORS["ae"], ("vae", "recon"): MODEL_COLORS["vae"], ("vae", "elbo"): ELBO_COLOR}
available = [(kind, which, key) for kind, which, key in SCORES if kind in detectors]
curves = {
    (kind, which): roc(score_of(kind, which, "normal"), score_of(kind, which, "unseen")) for kind, which, _ in available
}

left, right = st.columns([3, 2], gap="large")
with right:
    st.markdown(f"**{t('uses.auc_title')}**")
    st.markdown(
        "\n".join(
            f"- {t('uses.auc_item', name=t(key), auc=decimal(curves[kind, which].auc, 3))}"
            for kind, which, key in available
        )
    )
    st.markdown(t("uses.auc_explain", digit=digit))
    default(PERCENTILE_KEY, 95.0, low=50.0, high=99.5)
    percentile = st.slider(
        t("uses.threshold"),
        50.0,
        99.5,
        step=0.5,
        key=PERCENTILE_KEY,
        help=t("uses.threshold_help"),
        format=slider_format() or "%.1f",
    )
    vae_score = "recon"
    if "vae" in detectors:
        default(VAE_SCORE_KEY, "elbo", ["recon", "elbo"])
        vae_score = st.radio(
            t("uses.vae_score"),
            ["recon", "elbo"],
            key=VAE_SCORE_KEY,
            horizontal=True,
            format_func=option_labels(["recon", "elbo"], "uses.vae_score"),
        )
thresholds = {
    (kind, which): percentile_threshold(score_of(kind, which, "normal"), percentile) for kind, which, _ in available
}
counts = {
    pick: confusion(score_of(*pick, "normal"), score_of(*pick, "unseen"), threshold)
    for pick, threshold in thresholds.items()
}
lines = [
    RocLine(
        t("uses.roc_name", name=t(key), auc=decimal(curves[kind, which].auc, 3)),
        curves[kind, which].false_positive_rate,
        curves[kind, which].true_positive_rate,
        (counts[kind, which].false_positive_rate, counts[kind, which].true_positive_rate),
        COLORS[kind, which],
        "dash" if which == "elbo" else "solid",
    )
    for kind, which, key in available
]
with left:
    roc_figure = roc_chart(
        lines,
        x_title=t("uses.roc_x"),
        y_title=t("uses.roc_y", digit=digit),
        chance_label=t("uses.chance"),
        separators=plot_separators(),
    )
    show_chart(roc_figure, key="uses_roc")

unseen_name = t("uses.group.unseen", digit=digit)
for column, kind in zip(st.columns(2, gap="medium"), ("ae", "vae"), strict=True):
    column.container(key=f"model_name_anomaly_{kind}").subheader(t(f"model.{kind}.long"))
    body = column.container(key=f"model_body_anomaly_{kind}")
    if kind not in detectors:
        body.info(t("common.missing_model", kind=kind_label(kind)))
        continue
    which = vae_score if kind == "vae" else "recon"
    normal, unseen = score_of(kind, which, "normal"), score_of(kind, which, "unseen")
    threshold, count = thresholds[kind, which], counts[kind, which]
    figure = score_histograms(
        [(t("uses.group.normal"), normal), (unseen_name, unseen)],
        threshold=threshold,
        threshold_label=t("uses.threshold_line", value=decimal(threshold)),
        x_title=t("uses.hist_x"),
        y_title=t("uses.hist_y"),
        separators=plot_separators(),
    )
    with body:
        show_chart(figure, key=f"uses_hist_{kind}")
        extra = [
            (t(f"uses.group.{group}"), int((score_of(kind, which, group) >= threshold).sum()), EXTRA_COUNT)
            for group in ("inverted", "noise")
        ]
        table_rows = [
            (t("uses.group.normal"), count.normal_flagged, count.normal_flagged + count.normal_passed),
            (unseen_name, count.unusual_flagged, count.unusual_flagged + count.unusual_missed),
            *extra,
        ]
        head = (
            f"| {t('uses.counts.images')} | {t('uses.counts.flagged')} | {t('uses.counts.passed')} |\n|:--|--:|--:|\n"
        )
        st.markdown(
            head
            + "\n".join(f"| {name} ({total}) | {flagged} | {total - flagged} |" for name, flagged, total in table_rows)
        )

        flagged = np.flatnonzero(normal >= threshold)
        flagged = flagged[np.argsort(-normal[flagged], kind="stable")][:SHOWN]  # the most unusual-looking first
        st.markdown(f"**{t('uses.flagged_title', count=count.normal_flagged)}**")
        if len(flagged):
            st.caption(
                t("uses.shown_highest", count=len(flagged), scores=", ".join(f"{normal[i]:.0f}" for i in flagged))
            )
            st.image(row_picture(images.normal[flagged]), width="stretch")
        missed = np.flatnonzero(unseen < threshold)
        missed = missed[np.argsort(unseen[missed], kind="stable")][:SHOWN]  # the most normal-looking first
        st.markdown(f"**{t('uses.missed_title', count=count.unusual_missed, digit=digit)}**")
        if len(missed):
            st.caption(t("uses.shown_lowest", count=len(missed), scores=", ".join(f"{unseen[i]:.0f}" for i in missed)))
            st.image(row_picture(images.unseen[missed]), width="stretch")

"""Uses: noisy images come back cleaner, best from models trained on noise; a digit the models never saw
stands out by its score, as an anomaly detector is tuned in practice (ROC curve, a threshold)."""

from ui.shell import page_setup

page_setup("uses")

import numpy as np
import streamlit as st

from ui.compute import anomaly_images, unusual_scores, validation_set
from ui.figures import roc_chart
from ui.images import picture_url
from ui.layout import missing_model
from ui.state import default
from ui.style import show_chart
from ui.texts import decimal, option_labels, plot_separators, t
from ui.uses_views import (
    SCORES,
    auc_list,
    figures_table,
    lesson_models,
    restoration_rows,
    roc_line,
    score_groups,
    show_detector,
)
from ui.widgets import bump, decimal_slider
from vae_core import NOISE_KINDS, corrupt
from vae_core.anomaly import confusion, percentile_threshold, roc
from vae_core.shipped import ANOMALY_PAIR, DENOISING_PAIR, PLAIN_OF_DENOISING, UNSEEN_DIGIT

NOISE_KEY, LEVEL_KEY, SEED_KEY = "keep.uses_noise", "keep.uses_level", "keep.uses_seed"
PERCENTILE_KEY, VAE_SCORE_KEY = "keep.uses_percentile", "keep.uses_vae_score"
DENOISE_COUNT, EXTRA_COUNT = 8, 50  # noisy images in a row; inverted and noise images
MAX_LEVEL = 0.6

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
level = decimal_slider(t("uses.level"), 0.0, MAX_LEVEL, 0.05, key=LEVEL_KEY, place=c2, help=t("uses.level_help"))
c3.button(t("uses.new_images"), on_click=bump, args=(SEED_KEY,), icon=":material/casino:", key="uses_new_images")

validation = validation_set(next((m.dataset for m in [*plain_models.values(), *denoisers.values()]), "mnist"))
seed = int(st.session_state[SEED_KEY])
clean = validation.images[np.random.default_rng(seed).choice(len(validation), DENOISE_COUNT, replace=False)]
noisy = corrupt(clean, noise, level, seed=seed)
rows, table = restoration_rows(clean, noisy, noise, level, plain_models, denoisers, validation.dataset)
for title, images, figures in rows:
    st.markdown(f"**{title}**" + (f" · {figures}" if figures else ""))
    st.image(picture_url(images), width="stretch", alt=t("alt.uses.row", title=title, count=len(images)))
st.caption(t("uses.figures_note", n=DENOISE_COUNT))
st.markdown(f"**{t('uses.table_title', n=len(validation))}**")
st.markdown(figures_table(table))

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
results = {kind: unusual_scores(model, digit, EXTRA_COUNT) for kind, model in detectors.items()}
available = [(kind, which, key) for kind, which, key in SCORES if kind in detectors]
scores = {(kind, which): score_groups(results[kind], which) for kind, which, _ in available}  # by group
curves = {pick: roc(groups["normal"], groups["unseen"]) for pick, groups in scores.items()}

left, right = st.columns([3, 2], gap="large")
with right:
    st.markdown(f"**{t('uses.auc_title')}**")
    st.markdown(auc_list([(t(key), curves[kind, which].auc) for kind, which, key in available]))
    st.markdown(t("uses.auc_explain", digit=digit))
    default(PERCENTILE_KEY, 95.0, low=50.0, high=99.5)
    percentile = decimal_slider(t("uses.threshold"), 50.0, 99.5, 0.5, key=PERCENTILE_KEY, help=t("uses.threshold_help"))
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
thresholds = {pick: percentile_threshold(groups["normal"], percentile) for pick, groups in scores.items()}
counts = {pick: confusion(groups["normal"], groups["unseen"], thresholds[pick]) for pick, groups in scores.items()}
lines = [roc_line(t(key), curves[kind, which], counts[kind, which], kind, which) for kind, which, key in available]
with left:
    roc_figure = roc_chart(
        lines,
        x_title=t("uses.roc_x"),
        y_title=t("uses.roc_y", digit=digit),
        chance_label=t("uses.chance"),
        separators=plot_separators(),
    )
    show_chart(roc_figure, key="uses_roc")

for column, kind in zip(st.columns(2, gap="medium"), ("ae", "vae"), strict=True):
    column.container(key=f"model_name_anomaly_{kind}").subheader(t(f"model.{kind}.long"))
    body = column.container(key=f"model_body_anomaly_{kind}")
    if kind not in detectors:
        missing_model(body, kind)
        continue
    pick = (kind, vae_score if kind == "vae" else "recon")
    with body:
        show_detector(kind, scores[pick], thresholds[pick], counts[pick], images, digit)

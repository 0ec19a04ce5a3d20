"""Uses: unusual images stand out by their reconstruction error; noisy images come back cleaner."""

from ui.shell import page_setup

page_setup("uses")

import numpy as np
import streamlit as st

from ui.catalog import LoadedModel, load_model
from ui.compute import reconstructed, reconstruction_errors, unlike_image_errors, validation_set
from ui.figures import error_boxes
from ui.images import picture_url
from ui.picker import current_catalog, model_picker, pair_label
from ui.state import default
from ui.style import show_chart
from ui.texts import class_label, kind_label, labels, option_labels, plain, plot_separators, slider_format, t
from ui.widgets import bump, model_choice
from vae_core import NOISE_KINDS, CheckpointError, corrupt
from vae_core.catalog import ModelPair

KIND_KEY, NOISE_KEY, LEVEL_KEY, SEED_KEY = "keep.uses_kind", "keep.uses_noise", "keep.uses_level", "keep.uses_seed"
STRANGE_COUNT, DENOISE_COUNT, THRESHOLD_PERCENTILE = 50, 8, 99
MAX_LEVEL = 0.6
DENOISE_PAIR_KEY = "keep.uses_denoise_pair"


def best_denoiser(pairs: list[ModelPair]) -> ModelPair:
    """The pair that shows denoising best: pre-trained and complete first, then the most latent
    dimensions, then convolutional (for MNIST, the 16-D convolutional pair)."""
    return max(pairs, key=lambda p: (p.source == "shipped", len(p.kinds) == 2, p.latent_dim, p.arch == "conv"))


def denoiser_label(pair: ModelPair) -> str:
    return f"{t('picker.latent_value', d=pair.latent_dim)} · {pair_label(pair)}"


def load_members(pair: ModelPair) -> list[LoadedModel]:
    """The pair's models that load; an unreadable one is said so in place of its rows."""
    loaded = []
    for kind in pair.kinds:
        try:
            loaded.append(load_model(pair.member(kind)))
        except CheckpointError as exc:
            st.error(t("picker.broken", message=plain(str(exc))))
    return loaded


picked = model_picker()
validation = validation_set(picked.dataset)

# --- anomaly detection ------------------------------------------------------------------------
st.header(t("uses.anomaly_title"))
st.markdown(t("uses.anomaly_intro"))
model = model_choice(picked, KIND_KEY, label=t("uses.model"))
errors = reconstruction_errors(model)
threshold = float(np.percentile(errors, THRESHOLD_PERCENTILE))
unlike = unlike_image_errors(model, STRANGE_COUNT)
strange_errors = {t("uses.inverted"): unlike["inverted"], t("uses.noise_images"): unlike["noise"]}
references = [(t("uses.threshold", p=THRESHOLD_PERCENTILE), threshold)]
references += [(t("uses.mean_of", name=name), float(e.mean())) for name, e in strange_errors.items()]
class_names = [class_label(c) for c in validation.class_names]
fig = error_boxes(
    errors,
    validation.labels,
    class_names,
    x_title=t("plot.class"),
    y_title=t("uses.error_axis"),
    references=references,
    separators=plot_separators(),
)
show_chart(fig, key="uses_errors")
flagged = "; ".join(
    t("uses.flagged", name=name, pct=100 * float((e > threshold).mean())) for name, e in strange_errors.items()
)
st.markdown(t("uses.flagged_intro", p=THRESHOLD_PERCENTILE, threshold=threshold) + " " + flagged + ".")

worst = np.argsort(errors)[::-1][:DENOISE_COUNT]
st.markdown(f"**{t('uses.worst_title')}**")
worst_errors = ", ".join(f"{errors[i]:.0f}" for i in worst)
worst_images = validation.images[worst]
st.image(picture_url(worst_images), caption=t("uses.worst_caption", errors=worst_errors), width="stretch")
st.image(
    picture_url(reconstructed(model, worst_images)),
    width="stretch",
    caption=t("uses.worst_recon", model=kind_label(model.kind)),
)

# --- denoising --------------------------------------------------------------------------------
st.header(t("uses.denoise_title"))
st.markdown(t("uses.denoise_intro"))
# Its own pair, not the sidebar's: the default 2-D pair turns a noisy 1 into a 6 or a 5.
same_data = [p for p in current_catalog().pairs if p.dataset == picked.dataset] or [picked.pair]
denoise_pairs = {p.id: p for p in same_data}
default(DENOISE_PAIR_KEY, best_denoiser(list(denoise_pairs.values())).id, list(denoise_pairs))
denoise_pair = denoise_pairs[
    st.selectbox(
        t("uses.denoise_pair"),
        list(denoise_pairs),
        key=DENOISE_PAIR_KEY,
        help=t("uses.denoise_pair_help"),
        format_func=labels(denoise_pairs, lambda i: denoiser_label(denoise_pairs[i])),
    )
]
st.caption(t("uses.denoise_why"))
default(NOISE_KEY, "gaussian", list(NOISE_KINDS))
default(LEVEL_KEY, 0.3, low=0.0, high=MAX_LEVEL)
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
seed = int(st.session_state[SEED_KEY])
chosen = np.random.default_rng(seed).choice(len(validation), DENOISE_COUNT, replace=False)
clean = validation.images[chosen]
noisy = corrupt(clean, noise, level, seed=seed)
rows = [(t("uses.row.clean"), clean), (t("uses.row.noisy"), noisy)]
rows += [(t("uses.row.recon", model=kind_label(m.kind)), reconstructed(m, noisy)) for m in load_members(denoise_pair)]
for caption, images in rows:
    st.image(picture_url(images), caption=caption, width="stretch")

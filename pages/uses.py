"""Uses: unusual images stand out by their reconstruction error; noisy images come back cleaner."""

from ui.shell import page_setup

page_setup("uses")

import numpy as np
import streamlit as st

from ui.compute import reconstructed, reconstruction_errors, unlike_image_errors, validation_set
from ui.figures import error_boxes
from ui.images import picture_url
from ui.picker import model_picker
from ui.state import default
from ui.texts import class_label, kind_label, labels, t
from ui.widgets import bump, model_choice
from vae_core import NOISE_KINDS, corrupt

KIND_KEY, NOISE_KEY, LEVEL_KEY, SEED_KEY = "keep.uses_kind", "keep.uses_noise", "keep.uses_level", "keep.uses_seed"
STRANGE_COUNT, DENOISE_COUNT, THRESHOLD_PERCENTILE = 50, 8, 99

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
    errors, validation.labels, class_names, x_title=t("plot.class"), y_title=t("uses.error_axis"), references=references
)
st.plotly_chart(fig, width="stretch", theme=None, key="uses_errors")
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
default(NOISE_KEY, "gaussian", list(NOISE_KINDS))
default(LEVEL_KEY, 0.3)
default(SEED_KEY, 0)
c1, c2, c3 = st.columns([2, 2, 1])
noise = c1.radio(
    t("uses.noise"),
    list(NOISE_KINDS),
    key=NOISE_KEY,
    horizontal=True,
    format_func=labels(NOISE_KINDS, lambda k: t(f"uses.noise.{k}")),
)
level = c2.slider(t("uses.level"), 0.0, 0.6, step=0.05, key=LEVEL_KEY, help=t("uses.level_help"))
c3.button(t("uses.new_images"), on_click=bump, args=(SEED_KEY,), icon=":material/casino:", key="uses_new_images")
seed = int(st.session_state[SEED_KEY])
chosen = np.random.default_rng(seed).choice(len(validation), DENOISE_COUNT, replace=False)
clean = validation.images[chosen]
noisy = corrupt(clean, noise, level, seed=seed)
rows = [(t("uses.row.clean"), clean), (t("uses.row.noisy"), noisy)]
rows += [(t("uses.row.recon", model=kind_label(m.kind)), reconstructed(m, noisy)) for m in picked.loaded]
for caption, images in rows:
    st.image(picture_url(images), caption=caption, width="stretch")

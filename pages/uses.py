"""Uses: unusual images stand out by their reconstruction error; noisy images come back cleaner."""

import numpy as np
import streamlit as st

from ui.compute import (
    NOISE_KINDS,
    corrupt,
    reconstruct_array,
    reconstruction_errors,
    row_picture,
    unlike_image_errors,
    validation_set,
)
from ui.figures import error_boxes
from ui.images import png_data_url
from ui.layout import page_intro
from ui.picker import model_picker
from ui.shell import require_entry_point
from ui.state import default
from ui.texts import class_label, kind_label, labels, t

require_entry_point()

KIND_KEY, NOISE_KEY, LEVEL_KEY, SEED_KEY = "keep.uses_kind", "keep.uses_noise", "keep.uses_level", "keep.uses_seed"
STRANGE_COUNT, DENOISE_COUNT, THRESHOLD_PERCENTILE = 50, 8, 99


def new_images() -> None:
    st.session_state[SEED_KEY] = int(st.session_state.get(SEED_KEY, 0)) + 1


picked = model_picker()
page_intro("uses")
validation = validation_set(picked.dataset)
pixels = validation.pixels

# --- anomaly detection ------------------------------------------------------------------------
st.header(t("uses.anomaly_title"))
st.markdown(t("uses.anomaly_intro"))
kinds = [m.kind for m in picked.loaded]
default(KIND_KEY, "vae" if "vae" in kinds else kinds[0], kinds)
kind = st.radio(t("uses.model"), kinds, key=KIND_KEY, horizontal=True, format_func=labels(kinds, kind_label))
model = picked.member(kind)
assert model is not None
errors = reconstruction_errors(model.model, model.key, picked.dataset)
threshold = float(np.percentile(errors, THRESHOLD_PERCENTILE))
unlike = unlike_image_errors(model.model, model.key, picked.dataset, STRANGE_COUNT)
strange_errors = {t("uses.inverted"): unlike["inverted"], t("uses.noise_images"): unlike["noise"]}
references = [(t("uses.threshold", p=THRESHOLD_PERCENTILE), threshold)]
references += [(t("uses.mean_of", name=name), float(e.mean())) for name, e in strange_errors.items()]
class_names = [class_label(c) for c in validation.class_names]
fig = error_boxes(errors, validation.labels, class_names, x_title=t("plot.class"), y_title=t("uses.error_axis"),
                  references=references)  # fmt: skip
st.plotly_chart(fig, width="stretch", theme=None, key="uses_errors")
flagged = "; ".join(t("uses.flagged", name=name, pct=100 * float((e > threshold).mean()))
                    for name, e in strange_errors.items())  # fmt: skip
st.markdown(t("uses.flagged_intro", p=THRESHOLD_PERCENTILE, threshold=threshold) + " " + flagged + ".")

worst = np.argsort(errors)[::-1][:DENOISE_COUNT]
st.markdown(f"**{t('uses.worst_title')}**")
worst_errors = ", ".join(f"{errors[i]:.0f}" for i in worst)
st.image(png_data_url(row_picture(pixels[worst])), caption=t("uses.worst_caption", errors=worst_errors),
         width="stretch")  # fmt: skip
st.image(png_data_url(row_picture(reconstruct_array(model.model, pixels[worst]))), width="stretch",
         caption=t("uses.worst_recon", model=kind_label(kind)))  # fmt: skip

# --- denoising --------------------------------------------------------------------------------
st.header(t("uses.denoise_title"))
st.markdown(t("uses.denoise_intro"))
default(NOISE_KEY, "gaussian", list(NOISE_KINDS))
default(LEVEL_KEY, 0.3)
default(SEED_KEY, 0)
c1, c2, c3 = st.columns([2, 2, 1])
noise = c1.radio(t("uses.noise"), list(NOISE_KINDS), key=NOISE_KEY, horizontal=True,
                 format_func=labels(NOISE_KINDS, lambda k: t(f"uses.noise.{k}")))  # fmt: skip
level = c2.slider(t("uses.level"), 0.0, 0.6, step=0.05, key=LEVEL_KEY, help=t("uses.level_help"))
c3.button(t("uses.new_images"), on_click=new_images, icon=":material/casino:")
seed = int(st.session_state[SEED_KEY])
chosen = np.random.default_rng(seed).choice(len(pixels), DENOISE_COUNT, replace=False)
clean = pixels[chosen]
noisy = corrupt(clean, noise, level, seed)
rows = [(t("uses.row.clean"), clean), (t("uses.row.noisy"), noisy)]
rows += [(t("uses.row.recon", model=kind_label(m.kind)), reconstruct_array(m.model, noisy))
         for m in picked.loaded]  # fmt: skip
for caption, images in rows:
    st.image(png_data_url(row_picture(images)), caption=caption, width="stretch")

"""Interpolation: walk in a straight line (or along a great circle) between the codes of two images."""

import numpy as np
import streamlit as st

from vae_core import interpolate
from ui.compute import ValidationSet, decoded_pictures, encodings, projection, validation_set
from ui.figures import Path2D, latent_scatter
from ui.images import gif_bytes, png_bytes, png_data_url
from ui.layout import axis_titles, model_columns, page_intro
from ui.picker import model_picker
from ui.shell import require_entry_point
from ui.state import default
from ui.texts import class_label, labels, t
from ui.widgets import choose_random_image, image_chooser

require_entry_point()

STEPS_KEY, METHOD_KEY, SHOW_PATH_KEY = "keep.interp_steps", "keep.interp_method", "keep.interp_path"
METHODS = ["linear", "spherical"]


def choose_random_pair(validation: ValidationSet) -> None:
    rng = np.random.default_rng()
    for prefix in ("interp_a", "interp_b"):
        choose_random_image(validation, prefix, rng)


picked = model_picker()
page_intro("interp", ["interpolation"])
validation = validation_set(picked.dataset)

# --- controls ---------------------------------------------------------------------------------
left, middle, right = st.columns([5, 5, 4], gap="medium")
with left:
    index_a = image_chooser(validation, "interp_a", label=t("interp.start_class"), initial_class=0)
    st.image(png_data_url(validation.picture(index_a, 96)), caption=t("interp.start"), width=96)
with middle:
    index_b = image_chooser(validation, "interp_b", label=t("interp.end_class"), initial_class=1)
    st.image(png_data_url(validation.picture(index_b, 96)), caption=t("interp.end"), width=96)
with right:
    default(STEPS_KEY, 10)
    default(METHOD_KEY, "linear", METHODS)
    default(SHOW_PATH_KEY, True)
    steps = st.slider(t("interp.steps"), 3, 24, key=STEPS_KEY)
    method = st.radio(t("interp.method"), METHODS, key=METHOD_KEY, horizontal=True, help=t("interp.method_help"),
                      format_func=labels(METHODS, lambda m: t(f"interp.method.{m}")))  # fmt: skip
    st.button(t("interp.random"), on_click=choose_random_pair, args=(validation,), icon=":material/casino:")
show_path = st.toggle(t("interp.show_path"), key=SHOW_PATH_KEY)

# --- output -----------------------------------------------------------------------------------
class_names = [class_label(c) for c in validation.class_names]
for column, model in model_columns(picked):
    with column:
        mu = encodings(model.model, model.key, picked.dataset).mu
        path = interpolate(mu[index_a], mu[index_b], steps, method=method).numpy()
        strip, frames = decoded_pictures(model.model, path)
        caption = t("interp.caption", steps=steps, method=t(f"interp.method.{method}"))
        st.image(png_data_url(strip), width="stretch", caption=caption)
        png_col, gif_col = st.columns(2)
        png_col.download_button(
            t("interp.download_png"), data=lambda strip=strip: png_bytes(strip), mime="image/png",
            file_name=f"interpolation-{model.kind}.png", on_click="ignore", icon=":material/download:",
            key=f"png_{model.kind}",
        )  # fmt: skip
        gif_col.download_button(
            t("interp.download_gif"), data=lambda frames=frames: gif_bytes(frames), mime="image/gif",
            file_name=f"interpolation-{model.kind}.gif", on_click="ignore", icon=":material/animated_images:",
            key=f"gif_{model.kind}",
        )  # fmt: skip
        if show_path:
            proj = projection(model.model, model.key, picked.dataset, "pca")
            x_title, y_title = axis_titles(proj)
            fig = latent_scatter(
                proj.points, validation.labels, class_names, x_title=x_title, y_title=y_title,
                legend_title=t("plot.class"), hover_label=t("plot.image"),
                path=Path2D(proj.transform(path), t("interp.path"), t("interp.start_short"), t("interp.end_short")),
                height=440,
            )  # fmt: skip
            st.plotly_chart(fig, width="stretch", theme=None, key=f"interp_scatter_{model.kind}")
if show_path and picked.latent_dim > 2:
    st.caption(t("interp.pca_note"))

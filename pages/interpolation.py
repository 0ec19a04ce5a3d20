"""Interpolation: walk in a straight line (or along a great circle) between the codes of two images."""

from ui.shell import page_setup

page_setup("interpolation", formulas=["interpolation"])

import numpy as np
import streamlit as st

from ui.compute import ValidationSet, decoded, encodings, projection, validation_set
from ui.figures import Path2D
from ui.images import gif_bytes, picture, png_bytes, png_data_url, row_length
from ui.layout import axis_titles, codes_scatter, model_columns
from ui.picker import model_picker
from ui.state import default
from ui.style import show_chart
from ui.texts import kind_label, option_labels, t
from ui.widgets import choose_random_image, image_chooser
from vae_core import interpolate

STEPS_KEY, METHOD_KEY, SHOW_PATH_KEY = "keep.interp_steps", "keep.interp_method", "keep.interp_path"
METHODS = ["linear", "spherical"]
MIN_STEPS, MAX_STEPS = 3, 24
FRAME_SIDE = 168  # pixels of one frame of the downloadable animation
TILES_PER_ROW = 5  # at most: the path wraps into rows, so each digit stays large (about 60 px at 1400 px)
ORIGINAL_WIDTH = 72  # pixels: the two originals beside each path, about the size of its tiles


def animation(images: np.ndarray) -> bytes:
    """The decoded path as a looping GIF, one image a frame (made only when downloaded)."""
    return gif_bytes([picture(image[None], min_side=FRAME_SIDE, padding=0) for image in images])


def choose_random_pair(validation: ValidationSet) -> None:
    rng = np.random.default_rng()
    for prefix in ("interp_a", "interp_b"):
        choose_random_image(validation, prefix, rng)


picked = model_picker()
validation = validation_set(picked.dataset)

# --- controls ---------------------------------------------------------------------------------
left, middle, right = st.columns([5, 5, 4], gap="medium")
with left:
    index_a = image_chooser(validation, "interp_a", label=t("interpolation.start_class"), initial_class=0)
    st.image(
        validation.picture_url(index_a, 96),
        caption=t("interpolation.start"),
        width=96,
        alt=validation.alt(index_a),
    )
with middle:
    index_b = image_chooser(validation, "interp_b", label=t("interpolation.end_class"), initial_class=1)
    st.image(
        validation.picture_url(index_b, 96),
        caption=t("interpolation.end"),
        width=96,
        alt=validation.alt(index_b),
    )
with right:
    default(STEPS_KEY, 10, low=MIN_STEPS, high=MAX_STEPS)
    default(METHOD_KEY, "linear", METHODS)
    default(SHOW_PATH_KEY, True)
    steps = st.slider(t("interpolation.steps"), MIN_STEPS, MAX_STEPS, key=STEPS_KEY)
    method = st.radio(
        t("interpolation.method"),
        METHODS,
        key=METHOD_KEY,
        horizontal=True,
        help=t("interpolation.method_help"),
        format_func=option_labels(METHODS, "interpolation.method"),
    )
    st.button(
        t("interpolation.random"),
        on_click=choose_random_pair,
        args=(validation,),
        icon=":material/casino:",
        key="interp_random",
    )
show_path = st.toggle(t("interpolation.show_path"), key=SHOW_PATH_KEY, width="stretch")

# --- output -----------------------------------------------------------------------------------
caption = t("interpolation.caption", steps=steps, method=t(f"interpolation.method.{method}"))
st.caption(t("interpolation.decoded_note"))
for column, model in model_columns(picked):
    with column:
        mu = encodings(model).mu
        path = interpolate(mu[index_a], mu[index_b], steps, method=method)
        images = decoded(model, path)
        # The original images at both ends of the decoded path, which wraps into rows of large tiles.
        start, middle, end = st.columns([1, 4, 1], gap="small", vertical_alignment="center")
        start.image(
            validation.picture_url(index_a),
            caption=t("interpolation.start_original"),
            width=ORIGINAL_WIDTH,
            alt=validation.alt(index_a),
        )
        shown = picture(images, per_row=row_length(len(images), TILES_PER_ROW))
        middle.image(
            png_data_url(shown),
            width="stretch",
            caption=caption,
            alt=t("alt.interpolation.path", model=kind_label(model.kind), steps=len(images)),
        )
        end.image(
            validation.picture_url(index_b),
            caption=t("interpolation.end_original"),
            width=ORIGINAL_WIDTH,
            alt=validation.alt(index_b),
        )
        png_col, gif_col = st.columns(2)
        png_col.download_button(
            t("interpolation.download_png"),
            data=lambda images=images: png_bytes(picture(images)),  # the path as one strip
            mime="image/png",
            file_name=f"interpolation-{model.kind}.png",
            on_click="ignore",
            icon=":material/download:",
            key=f"png_{model.kind}",
            width="stretch",
        )
        gif_col.download_button(
            t("interpolation.download_gif"),
            data=lambda images=images: animation(images),
            mime="image/gif",
            file_name=f"interpolation-{model.kind}.gif",
            on_click="ignore",
            icon=":material/animated_images:",
            key=f"gif_{model.kind}",
            help=t("interpolation.download_gif_help"),
            width="stretch",
        )
        if show_path:
            proj = projection(model, "pca")
            x_title, y_title = axis_titles(proj)
            path_2d = Path2D(
                proj.transform(path),
                t("interpolation.path"),
                t("interpolation.start_short"),
                t("interpolation.end_short"),
            )
            fig = codes_scatter(proj.points, validation, x_title=x_title, y_title=y_title, path=path_2d)
            show_chart(fig, key=f"interp_scatter_{model.kind}")
if show_path and picked.latent_dim > 2:
    st.caption(t("interpolation.pca_note"))

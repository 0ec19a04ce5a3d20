"""Draw a digit: a student's own drawing or photo, prepared as MNIST was, encoded and redrawn by both models."""

from ui.shell import page_setup

page_setup("draw")

import numpy as np
import streamlit as st

from ui.canvas import UPLOAD_MB, drawing_canvas, problem_text
from ui.compute import NewImage, new_image, projection, validation_set
from ui.figures import Ellipses, ellipse_magnification
from ui.images import picture_url
from ui.layout import axis_titles, codes_scatter, model_columns
from ui.picker import model_picker
from ui.state import DRAWN, default
from ui.style import show_chart
from ui.texts import decimal, kind_label, option_labels, t
from vae_core.drawing import MAX_UPLOAD_BYTES, DrawingError, prepare_photo, prepare_strokes
from vae_core.latent import linear_map, projected_ellipse

SOURCE_KEY, CANVAS_KEY, UPLOAD_KEY = "keep.draw_source", "draw_canvas", "draw_upload"
SOURCES = ["canvas", "upload"]
UPLOAD_TYPES = ["image/png", "image/jpeg"]  # MIME types: a phone then offers its camera too
UNUSUAL_PERCENTILE = 99  # rarer than 99 in 100 validation images: worth a note
PICTURE_PX = 196  # 28×28 at seven screen pixels a pixel, 8×8 at twenty-five


picked = model_picker()
validation = validation_set(picked.dataset)
image_shape = tuple(int(s) for s in validation.images.shape[1:])

# --- the input ----------------------------------------------------------------------------------
default(SOURCE_KEY, "canvas", SOURCES)
source = st.radio(
    t("draw.source"), SOURCES, key=SOURCE_KEY, horizontal=True, format_func=option_labels(SOURCES, "draw.source")
)
input_col, prepared_col = st.columns([3, 2], gap="medium")
image: np.ndarray | None = None  # (1, C, H, W): the prepared input
problem: DrawingError | None = None
file_name = ""
with input_col:
    if source == "canvas":
        strokes = drawing_canvas(
            key=CANVAS_KEY,
            label=t("draw.canvas_label"),
            hint=t("draw.canvas_hint"),
            undo=t("draw.undo"),
            clear=t("draw.clear"),
            example=t("draw.example"),
        )
        if strokes:  # none yet, or all cleared: the page waits
            try:
                image = prepare_strokes(strokes, image_shape)
            except DrawingError as exc:
                problem = exc
    else:
        upload = st.file_uploader(
            t("draw.upload", mb=UPLOAD_MB),
            type=UPLOAD_TYPES,
            key=UPLOAD_KEY,
            max_upload_size=UPLOAD_MB,
            help=t("draw.upload_help"),
        )
        if upload is not None:
            file_name = upload.name
            try:
                if upload.size > MAX_UPLOAD_BYTES:  # before reading it: the browser's own limit can be bypassed
                    raise DrawingError("too_big", "file too large", size=upload.size, limit=MAX_UPLOAD_BYTES)
                image = prepare_photo(upload.getvalue(), image_shape)  # in memory only, never on disk
            except DrawingError as exc:
                problem = exc

with prepared_col:
    if problem is not None:
        st.error(problem_text(problem, file_name, image_shape), icon=":material/error:")
    elif image is None:
        st.info(t("draw.waiting_canvas" if source == "canvas" else "draw.waiting_upload"), icon=":material/draw:")
    else:
        st.session_state[DRAWN] = image  # for the Fill-in and Style pages, as long as the session lasts
        height, width = image.shape[-2:]
        st.image(
            picture_url(image, min_side=PICTURE_PX, padding=0),
            width=PICTURE_PX,
            caption=t("draw.prepared", w=width, h=height),
            alt=t("alt.draw.prepared"),
        )
        st.caption(t("draw.prepared_digits" if height == 8 else "draw.prepared_mnist"))

# --- what each model makes of it ----------------------------------------------------------------
st.subheader(t("draw.map_title"))
for column, model in model_columns(picked):
    with column:
        result: NewImage | None = new_image(model, image) if image is not None else None
        if result is not None:
            st.image(
                picture_url(result.reconstruction, min_side=PICTURE_PX, padding=0),
                width=PICTURE_PX,
                caption=t("draw.reconstruction", model=kind_label(model.kind)),
                alt=t("alt.reconstruction", model=kind_label(model.kind)),
            )
            st.markdown(t("draw.error", error=decimal(result.error), pct=decimal(result.percentile, 0)))
            if result.percentile >= UNUSUAL_PERCENTILE:
                st.warning(t("draw.unusual"), icon=":material/help:")
        proj = projection(model, "pca")  # the codes themselves when D ≤ 2
        notes = [t("draw.scatter_caption", n=len(validation))]
        if proj.method == "pca":
            notes.append(t("draw.scatter_caption_pca", d=model.latent_dim))
        overlay: dict = {}
        if result is not None:
            point = proj.transform(result.mu[None])[0]  # (2,)
            overlay = {"highlight": (float(point[0]), float(point[1])), "highlight_name": t("draw.your_code")}
            if result.sigma is not None:
                lengths, axes = projected_ellipse(result.sigma, linear_map(proj, model.latent_dim))
                k = ellipse_magnification(lengths[None], float(np.ptp(proj.points, axis=0).max()))
                name = t("draw.ellipse_magnified", k=k) if k > 1 else t("draw.ellipse")
                overlay["ellipses"] = Ellipses(point[None], lengths[None], name, magnification=k, axes=axes[None])
                if k > 1:
                    notes.append(t("draw.ellipse_magnified_note", k=k))
        x_title, y_title = axis_titles(proj)
        fig = codes_scatter(proj.points, validation, x_title=x_title, y_title=y_title, **overlay)
        show_chart(fig, key=f"draw_scatter_{model.kind}")
        for note in notes:
            st.caption(note)

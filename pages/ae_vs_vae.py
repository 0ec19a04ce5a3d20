"""AE vs VAE: the same images in both latent spaces, the VAE's uncertainty, and samples from N(0, I)."""

from ui.shell import page_setup

page_setup("ae_vs_vae", formulas=["kl"])

import numpy as np
import streamlit as st

from ui.compute import encodings, image_bounds, prior_samples_picture, projection, reconstructed, validation_set
from ui.figures import Ellipses, ellipse_magnification
from ui.images import picture_url
from ui.layout import axis_titles, codes_scatter, missing_model, model_columns
from ui.picker import model_picker
from ui.state import default
from ui.style import show_chart
from ui.texts import class_label, kind_label, option_labels, t

METHOD_KEY, ELLIPSES_KEY, INDEX_KEY = "keep.compare_method", "keep.compare_ellipses", "keep.compare_index"
SAMPLES_KEY, SEED_KEY = "keep.compare_samples", "keep.compare_seed"
ROUND_KEY = "compare_chart_round"  # counts the clicks taken: part of the charts' keys
ELLIPSE_SAMPLE = 50
METHODS = ["pca", "tsne"]
SAMPLE_COUNTS = [16, 25, 36, 49, 64, 100]
MAX_SEED = 10_000


def chart_key(kind: str) -> str:
    """A chart's key, new after every click taken: the charts then come back with no selection."""
    return f"compare_scatter_{kind}_{st.session_state.get(ROUND_KEY, 0)}"


def clicked_index(kind: str) -> int | None:
    """The validation index of the point last clicked in a chart (its customdata), if any."""
    try:
        points = st.session_state[chart_key(kind)]["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    data = points[0].get("customdata")
    data = data[0] if isinstance(data, list) else data
    return int(data) if data is not None else None


picked = model_picker()
validation = validation_set(picked.dataset)

# A click in either chart picks the image shown below both (read before the charts redraw).
default(INDEX_KEY, 0, low=0, high=len(validation) - 1)
# A chart keeps its selection, and clicking the point it holds selected again sends nothing: after
# a click in the other chart, a click back on the first chart's point did nothing. So each click taken
# gives both charts new keys; they come back empty, and every click is a new selection.
clicks = [index for index in (clicked_index(kind) for kind in ("ae", "vae")) if index is not None]
if clicks:
    st.session_state[INDEX_KEY] = clicks[-1]
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1

# --- controls ---------------------------------------------------------------------------------
c1, c2 = st.columns(2)
if picked.latent_dim > 2:
    default(METHOD_KEY, "pca", METHODS)
    method = c1.radio(
        t("ae_vs_vae.method"),
        METHODS,
        key=METHOD_KEY,
        horizontal=True,
        help=t("ae_vs_vae.method_help"),
        format_func=option_labels(METHODS, "ae_vs_vae.method"),
    )
else:
    method = "pca"  # ignored: 1- and 2-D codes are drawn as they are
default(ELLIPSES_KEY, True)
show_ellipses = c2.toggle(
    t("ae_vs_vae.ellipses", n=ELLIPSE_SAMPLE), key=ELLIPSES_KEY, help=t("ae_vs_vae.ellipses_help"), width="stretch"
)
selected = int(st.session_state[INDEX_KEY])

# --- latent spaces ----------------------------------------------------------------------------
for column, model in model_columns(picked):
    with column:
        with st.spinner(t("ae_vs_vae.computing", method=t(f"ae_vs_vae.method.{method}"))):
            proj = projection(model, method)
        encoded = encodings(model)
        ellipses, notes = None, [t("ae_vs_vae.scatter_caption", model=kind_label(model.kind), d=picked.latent_dim)]
        if model.is_variational and show_ellipses:
            if picked.latent_dim == 2 and encoded.sigma is not None:
                count = min(ELLIPSE_SAMPLE, len(encoded.mu))
                chosen = np.random.default_rng(0).choice(len(encoded.mu), count, replace=False)
                span = float(np.ptp(proj.points, axis=0).max())
                k = ellipse_magnification(encoded.sigma[chosen], span)
                name = t("ae_vs_vae.ellipse_legend_magnified", k=k) if k > 1 else t("ae_vs_vae.ellipse_legend")
                ellipses = Ellipses(encoded.mu[chosen], encoded.sigma[chosen], name, magnification=k)
                if k > 1:
                    notes.append(t("ae_vs_vae.ellipses_magnified", k=k))
            else:
                notes.append(t("ae_vs_vae.ellipses_2d_only"))
        x_title, y_title = axis_titles(proj)
        fig = codes_scatter(
            proj.points,
            validation,
            x_title=x_title,
            y_title=y_title,
            ellipses=ellipses,
            highlight=tuple(proj.points[selected]),
            equal_axes=proj.method != "tsne",
        )
        show_chart(fig, key=chart_key(model.kind), on_select="rerun", selection_mode="points")
        for note in notes:  # under the chart: the two charts start at the same height
            st.caption(note)

# --- the chosen image and both reconstructions ------------------------------------------------
st.subheader(t("ae_vs_vae.selected_title"))
pick_col, *picture_cols = st.columns([2, 1, 1, 1])
pick_col.number_input(
    t("ae_vs_vae.index", n=len(validation)),
    0,
    len(validation) - 1,
    step=1,
    key=INDEX_KEY,
    help=t("ae_vs_vae.index_help"),
)
pick_col.markdown(t("ae_vs_vae.selected_class", label=class_label(validation.class_names[validation.labels[selected]])))
picture_cols[0].image(
    validation.picture_url(selected), caption=t("ae_vs_vae.original"), width=160, alt=validation.alt(selected)
)
for picture_col, kind in zip(picture_cols[1:], ("ae", "vae"), strict=True):
    model = picked.member(kind)
    if model is None:
        missing_model(picture_col, kind)
    else:
        image = reconstructed(model, validation.images[selected : selected + 1])
        picture_col.image(
            picture_url(image, min_side=160, padding=0),
            width=160,
            caption=t("ae_vs_vae.reconstruction", model=kind_label(kind)),
            alt=t("alt.reconstruction", model=kind_label(kind)),
        )
vae = picked.member("vae")
if vae is not None:  # how far below log p(x) the ELBO is on this image: Burda et al.'s bound beside it
    bounds = image_bounds(vae, selected)
    st.markdown(t("ae_vs_vae.bound", elbo=bounds.elbo, iwae=bounds.iwae, k=bounds.samples))
    st.caption(t("ae_vs_vae.bound_why", k=bounds.samples))

# --- decoding the prior -----------------------------------------------------------------------
st.subheader(t("ae_vs_vae.prior_title"))
st.markdown(t("ae_vs_vae.prior_intro"))
default(SAMPLES_KEY, 64, SAMPLE_COUNTS)
default(SEED_KEY, 0, low=0, high=MAX_SEED)
s1, s2 = st.columns(2)
n_samples = s1.select_slider(t("ae_vs_vae.samples"), SAMPLE_COUNTS, key=SAMPLES_KEY)
seed = s2.number_input(t("ae_vs_vae.seed"), 0, MAX_SEED, step=1, key=SEED_KEY, help=t("ae_vs_vae.seed_help"))
for column, model in model_columns(picked, "prior"):
    with column:
        st.image(
            prior_samples_picture(model, n_samples, int(seed)),
            width="stretch",
            caption=t("ae_vs_vae.prior_caption", n=n_samples, model=kind_label(model.kind)),
            alt=t("alt.ae_vs_vae.prior", n=n_samples, model=kind_label(model.kind)),
        )

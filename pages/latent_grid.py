"""Latent grid: decode an N×N grid over two latent dimensions, AE and VAE side by side."""

from ui.shell import page_setup

page_setup("latent_grid", formulas=["grid"])

import numpy as np
import streamlit as st

from ui.compute import encodings, grid_picture, validation_set
from ui.figures import Rectangle
from ui.layout import codes_scatter, model_columns
from ui.picker import model_picker
from ui.state import default
from ui.style import show_chart
from ui.texts import decimal, kind_label, option_labels, t
from ui.widgets import decimal_slider

N_KEY, SPACING_KEY, EXTENT_KEY = "keep.grid_n", "keep.grid_spacing", "keep.grid_extent"
DIM_X_KEY, DIM_Y_KEY, OVERLAY_KEY = "keep.grid_dim_x", "keep.grid_dim_y", "keep.grid_overlay"
MIN_GRID, MAX_GRID = 2, 30
DEFAULT_GRID = 9  # about 50 px a digit in each half of a 1400-pixel projector screen
MIN_EXTENT, MAX_EXTENT = 0.5, 20.0
SPACINGS = ["linear", "gaussian"]

picked = model_picker()

# --- controls ---------------------------------------------------------------------------------
latent_dim = picked.latent_dim
dims = list(range(latent_dim))
default(N_KEY, DEFAULT_GRID, low=MIN_GRID, high=MAX_GRID)
default(SPACING_KEY, "gaussian", SPACINGS)
default(EXTENT_KEY, 3.0, low=MIN_EXTENT, high=MAX_EXTENT)
default(DIM_X_KEY, 0, dims)
default(OVERLAY_KEY, False)
c1, c2, c3 = st.columns(3)
n = c1.slider(t("latent_grid.size"), MIN_GRID, MAX_GRID, key=N_KEY, help=t("latent_grid.size_help"))
spacing_names = option_labels(SPACINGS, "latent_grid.spacing")
spacing = c2.radio(
    t("latent_grid.spacing"),
    SPACINGS,
    key=SPACING_KEY,
    horizontal=True,
    help=t("latent_grid.spacing_help"),
    format_func=spacing_names,
)
extent = decimal_slider(
    t("latent_grid.extent"), MIN_EXTENT, MAX_EXTENT, 0.5, key=EXTENT_KEY, place=c3, help=t("latent_grid.extent_help")
)
if latent_dim > 2:
    d1, d2 = st.columns(2)
    dim_x = d1.selectbox(t("latent_grid.dim_x"), dims, key=DIM_X_KEY, format_func=lambda d: f"z{d + 1}")
    y_choices = [d for d in dims if d != dim_x]
    default(DIM_Y_KEY, y_choices[0], y_choices)
    dim_y = d2.selectbox(t("latent_grid.dim_y"), y_choices, key=DIM_Y_KEY, format_func=lambda d: f"z{d + 1}")
    st.caption(t("latent_grid.others_zero"))
else:
    dim_x, dim_y = 0, min(1, latent_dim - 1)
if latent_dim == 1:
    st.info(t("latent_grid.one_dim"))
overlay = st.toggle(t("latent_grid.overlay"), key=OVERLAY_KEY, help=t("latent_grid.overlay_help"), width="stretch")

# --- output -----------------------------------------------------------------------------------
validation = validation_set(picked.dataset) if overlay else None
if latent_dim == 1:  # one row of n codes along z1
    caption = t("latent_grid.caption_1d", n=n, x=dim_x + 1, extent=decimal(extent))
else:
    caption = t("latent_grid.caption", n=n, x=dim_x + 1, y=dim_y + 1, extent=decimal(extent))
for column, model in model_columns(picked):
    with column:
        st.image(
            grid_picture(model, n, (dim_x, dim_y), extent, spacing),
            width="stretch",
            caption=caption,
            alt=t("alt.latent_grid.grid", model=kind_label(model.kind), n=n),
        )
        if validation is not None:
            codes = encodings(model).mu
            y_codes = codes[:, dim_y] if latent_dim > 1 else np.zeros(len(codes))
            fig = codes_scatter(
                np.column_stack([codes[:, dim_x], y_codes]),
                validation,
                x_title=f"z{dim_x + 1}",
                y_title=f"z{dim_y + 1}" if latent_dim > 1 else "",
                rectangle=Rectangle(-extent, -extent, extent, extent, t("latent_grid.rectangle")),
            )
            show_chart(fig, key=f"grid_scatter_{model.kind}")
if validation is not None:
    st.markdown(t("latent_grid.overlay_note"))

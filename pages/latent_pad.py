"""Latent pad: both decoders follow the pointer over the 2-D latent plane, decoded in the browser."""

from ui.shell import page_setup

page_setup("latent_pad")

import numpy as np
import streamlit as st

from ui.compute import decoded, digit_reader, encodings, plane_readings, slider_ranges, validation_set
from ui.images import picture_url
from ui.latent_pad import Code, PadView, browser_decoder, decoder_kilobytes, latent_pad, square_extent
from ui.layout import model_columns
from ui.picker import model_picker
from ui.state import default
from ui.texts import decimal, kind_label, option_labels, t
from ui.widgets import image_chooser

DIM_X_KEY, DIM_Y_KEY, BASE_KEY = "keep.pad_dim_x", "keep.pad_dim_y", "keep.pad_base"
PIN_X_KEY, PIN_Y_KEY = "keep.pad_pin_x", "keep.pad_pin_y"
CODE_KEY = "pad_code"  # where the pointer last was, for decoders that run on the server
BASES = ["zero", "image"]
PIN_LIMIT = 1000.0
PINNED_SIDE = 150  # pixels: the server's picture of the pinned code, under each pad


def pin(code: Code) -> None:
    st.session_state[PIN_X_KEY], st.session_state[PIN_Y_KEY] = round(code[0], 3), round(code[1], 3)


def pointer(code: Code) -> None:
    st.session_state[CODE_KEY] = code


picked = model_picker()
latent_dim = picked.latent_dim
if latent_dim < 2:
    st.info(t("latent_pad.one_dim"))
    st.stop()

# --- controls ---------------------------------------------------------------------------------
validation = validation_set(picked.dataset)
dims = list(range(latent_dim))
image_index = None
if latent_dim > 2:
    c1, c2, c3 = st.columns(3)
    default(DIM_X_KEY, 0, dims)
    dim_x = c1.selectbox(t("latent_pad.dim_x"), dims, key=DIM_X_KEY, format_func=lambda d: f"z{d + 1}")
    y_choices = [d for d in dims if d != dim_x]
    default(DIM_Y_KEY, y_choices[0], y_choices)
    dim_y = c2.selectbox(t("latent_pad.dim_y"), y_choices, key=DIM_Y_KEY, format_func=lambda d: f"z{d + 1}")
    default(BASE_KEY, "zero", BASES)
    base_kind = c3.radio(
        t("latent_pad.base"),
        BASES,
        key=BASE_KEY,
        format_func=option_labels(BASES, "latent_pad.base"),
        help=t("latent_pad.base_help"),
    )
    if base_kind == "image":
        image_index = image_chooser(validation, "pad", label=t("latent_pad.image_class"))
    st.caption(t(f"latent_pad.others_{base_kind}", count=latent_dim - 2))
else:
    dim_x, dim_y = 0, 1

default(PIN_X_KEY, 0.0, low=-PIN_LIMIT, high=PIN_LIMIT)
default(PIN_Y_KEY, 0.0, low=-PIN_LIMIT, high=PIN_LIMIT)
pinned = (float(st.session_state[PIN_X_KEY]), float(st.session_state[PIN_Y_KEY]))

in_browser = all(browser_decoder(m) is not None for m in picked.loaded)
ranges = {m.kind: slider_ranges(m)[[dim_x, dim_y]] for m in picked.loaded}

# --- the pads ---------------------------------------------------------------------------------
pointer_code = st.session_state.get(CODE_KEY, pinned)
for column, model in model_columns(picked, "pad"):
    with column:
        base = np.zeros(latent_dim, dtype=np.float32)
        base_mark = None
        if image_index is not None:  # the others at this model's own code of the chosen image
            base = encodings(model).mu[image_index].astype(np.float32)
            base_mark = (float(base[dim_x]), float(base[dim_y]))

        def full(code: Code, base: np.ndarray = base) -> np.ndarray:
            z = base.copy()
            z[dim_x], z[dim_y] = code
            return z[None, :]  # (1, D)

        reader = digit_reader(model)  # the evaluator, where it reads this model's digits
        served = None if in_browser else picture_url(decoded(model, full(pointer_code)), min_side=28, padding=0)
        view = PadView(
            dims=(dim_x, dim_y),
            extent=square_extent(ranges[model.kind]),
            base=base,
            code=pinned,
            pinned=pinned,
            base_mark=base_mark,
        )
        latent_pad(
            model,
            view,
            validation,
            key=f"pad_{model.kind}",
            group="pad",
            caption=t("latent_pad.caption", x="{x}", y="{y}"),
            where=t("latent_pad.where_browser" if in_browser else "latent_pad.where_server"),
            served_image=served,
            served_code=None if in_browser else pointer_code,
            on_pin=pin,
            on_code=None if in_browser else pointer,
            readings=None if reader is None else plane_readings(model, reader, view.dims, view.extent, base),
        )
        st.image(
            picture_url(decoded(model, full(pinned)), min_side=PINNED_SIDE, padding=0),
            width=PINNED_SIDE,
            caption=t("latent_pad.pinned", x=decimal(pinned[0], 2), y=decimal(pinned[1], 2)),
            alt=t("alt.decoded", model=kind_label(model.kind)),
        )
if "ae" in ranges and "vae" in ranges:  # the planes are drawn each at its own scale: say how different
    spans = {kind: float(np.max(r[:, 1] - r[:, 0])) for kind, r in ranges.items()}
    st.markdown(t("latent_pad.scales", ratio=decimal(spans["ae"] / spans["vae"], 1)))
st.markdown(t("latent_pad.how"))
if in_browser:
    sizes = " + ".join(decimal(decoder_kilobytes(m) / 1000, 1) for m in picked.loaded)
    st.caption(t("latent_pad.browser_note", mb=sizes))
else:
    st.caption(t("latent_pad.server_note"))

"""Latent sliders: move each coordinate of a code and watch the decoded image follow."""

from ui.shell import page_setup

page_setup("latent_sliders", formulas=["decode"])

import hashlib
from collections.abc import Callable

import numpy as np
import streamlit as st

from ui.compute import decoded, digit_reader, encodings, plane_readings, slider_ranges, validation_set
from ui.images import picture_url
from ui.latent_pad import Code, PadView, browser_decoder, latent_pad
from ui.picker import model_picker
from ui.state import default
from ui.texts import decimal, kind_label, option_labels, t
from ui.widgets import bump, decimal_slider, image_chooser, model_choice
from vae_core import sample_prior

KIND_KEY, START_KEY, SEED_KEY = "keep.sliders_kind", "keep.sliders_start", "keep.sliders_seed"
DIMS_KEY, COMPARE_KEY = "keep.sliders_dims", "keep.sliders_compare"
CODES_KEY = "slider_codes"  # model key → {"origin": what the code started from, "code": current code}
MAX_SLIDERS = 16
STARTS = ["image", "prior", "zero"]
MAX_SEED = 10_000


def slider_key(model_key: str, dim: int) -> str:
    """One widget per model and dimension, so switching model never carries a stale value over."""
    return f"z.{hashlib.md5(model_key.encode()).hexdigest()[:8]}.{dim}"


def slider_step(low: float, high: float) -> float:
    return 0.05 if high - low <= 20 else 0.1


def sliders_to(model_key: str, ranges: np.ndarray) -> Callable[[Code], None]:
    """A callback for the pad: put the sliders where the pointer was let go (on their steps)."""

    def move(code: Code) -> None:
        for dim, value in enumerate(code):
            low, high = float(ranges[dim, 0]), float(ranges[dim, 1])
            step = slider_step(low, high)
            st.session_state[slider_key(model_key, dim)] = round(min(max(round(value / step) * step, low), high), 2)

    return move


picked = model_picker()

# --- controls ---------------------------------------------------------------------------------
c1, c2, c3 = st.columns([1, 2, 2])
model = model_choice(picked, KIND_KEY, label=t("latent_sliders.model"), place=c1)
default(START_KEY, "image", STARTS)
start = c2.radio(
    t("latent_sliders.start"), STARTS, key=START_KEY, format_func=option_labels(STARTS, "latent_sliders.start")
)
validation = validation_set(picked.dataset)
mu = encodings(model).mu
with c3:
    if start == "image":
        image_index = image_chooser(validation, "sliders", label=t("latent_sliders.image_class"))
        origin, origin_code = ("image", image_index), mu[image_index]
    elif start == "prior":
        default(SEED_KEY, 0, low=0, high=MAX_SEED)
        seed = st.number_input(t("latent_sliders.seed"), 0, MAX_SEED, step=1, key=SEED_KEY)
        st.button(t("latent_sliders.new_sample"), on_click=bump, args=(SEED_KEY,), key="sliders_new_sample")
        origin, origin_code = ("prior", seed), sample_prior(1, model.latent_dim, seed=int(seed))[0]
    else:
        origin, origin_code = ("zero",), np.zeros(model.latent_dim)

ranges = slider_ranges(model)
codes = st.session_state.setdefault(CODES_KEY, {})
state = codes.get(model.key)
reset = st.button(
    t("latent_sliders.reset"), icon=":material/restart_alt:", help=t("latent_sliders.reset_help"), key="sliders_reset"
)
if state is None or state["origin"] != origin or reset:  # a new start: every slider jumps to it
    state = {"origin": origin, "code": np.clip(origin_code, ranges[:, 0], ranges[:, 1]).astype(np.float64)}
    codes[model.key] = state
    for dim in range(model.latent_dim):
        st.session_state[slider_key(model.key, dim)] = float(state["code"][dim])
code: np.ndarray = state["code"]

dims = list(range(model.latent_dim))
if model.latent_dim > MAX_SLIDERS:
    kept = [d for d in st.session_state.get(DIMS_KEY, []) if d in dims]
    st.session_state[DIMS_KEY] = kept or dims[:MAX_SLIDERS]
    shown = st.multiselect(
        t("latent_sliders.dims", max=MAX_SLIDERS),
        dims,
        key=DIMS_KEY,
        max_selections=MAX_SLIDERS,
        format_func=lambda d: f"z{d + 1}",
        help=t("latent_sliders.dims_help"),
    )
else:
    shown = dims

# --- sliders and output -----------------------------------------------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    slider_columns = st.columns(2 if len(shown) > 4 else 1)
    for position, dim in enumerate(sorted(shown)):
        key = slider_key(model.key, dim)
        low, high = float(ranges[dim, 0]), float(ranges[dim, 1])
        if key not in st.session_state:  # shown again after a page change: resume from the kept code
            st.session_state[key] = float(code[dim])
        st.session_state[key] = min(max(st.session_state[key], low), high)
        step = slider_step(low, high)
        place = slider_columns[position % len(slider_columns)]
        code[dim] = decimal_slider(f"z{dim + 1}", low, high, step, key=key, place=place)
    if len(shown) < model.latent_dim:
        st.caption(t("latent_sliders.hidden_dims", count=model.latent_dim - len(shown)))
    if model.latent_dim == 2 and browser_decoder(model) is not None:  # the picture follows the pointer
        st.markdown(t("latent_pad.sliders_hint"))
        plane = PadView(
            dims=(0, 1),
            extent=(float(ranges[0, 0]), float(ranges[0, 1]), float(ranges[1, 0]), float(ranges[1, 1])),
            base=np.zeros(2, dtype=np.float32),
            code=(float(code[0]), float(code[1])),
        )
        reader = digit_reader(model)  # the evaluator, where it reads this model's digits
        latent_pad(
            model,
            plane,
            validation,
            key="sliders_pad",
            group="sliders",
            caption=t("latent_pad.sliders_caption", model=kind_label(model.kind), x="{x}", y="{y}"),
            where=t("latent_pad.where_browser"),
            on_code=sliders_to(model.key, ranges),
            on_release=True,
            return_on_leave=True,
            readings=None if reader is None else plane_readings(model, reader, plane.dims, plane.extent, plane.base),
        )

with right:
    st.image(
        picture_url(decoded(model, code[None, :]), min_side=320),
        width=320,
        caption=t("latent_sliders.decoded", model=kind_label(model.kind)),
        alt=t("alt.decoded", model=kind_label(model.kind)),
    )
    if start == "image":
        st.image(
            validation.picture_url(origin[1], 120),
            caption=t("latent_sliders.original"),
            width=120,
            alt=validation.alt(origin[1]),
        )
    other = picked.member("ae" if model.kind == "vae" else "vae")
    if other is not None:
        default(COMPARE_KEY, False)
        if st.toggle(t("latent_sliders.compare", model=kind_label(other.kind)), key=COMPARE_KEY, width="stretch"):
            st.image(
                picture_url(decoded(other, code[None, :]), min_side=160),
                width=160,
                caption=t("latent_sliders.compare_caption", model=kind_label(other.kind)),
                alt=t("alt.decoded", model=kind_label(other.kind)),
            )
    shown_values = t("number.list_separator").join(decimal(v, 2) for v in code[:MAX_SLIDERS])
    shown_values += " …" if model.latent_dim > MAX_SLIDERS else ""
    st.caption(t("latent_sliders.code", values=shown_values))

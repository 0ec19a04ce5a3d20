"""Fill in: hide part of a digit and let the AE, the VAE and the diffusion model complete it, each scored on
the hidden pixels alone and by what the evaluator classifier reads; then the same on validation digits."""

from ui.shell import page_setup

page_setup("fill_in")

import streamlit as st

from ui.compute import filled_in, inpainted, read_as, validation_fill_figures, validation_set
from ui.fill_in_views import COLUMNS, completers, figures_table, mask_picture, painted_over, show_completion
from ui.images import picture_url
from ui.state import default
from ui.texts import decimal, option_labels, t
from ui.uses_views import lesson_models
from ui.widgets import bump, decimal_slider, drawing_if_chosen, image_chooser
from vae_core.imputation import MASK_KINDS, METHODS, hidden_mask
from vae_core.shipped import DIFFUSION_FILE, EVALUATOR_FILE, IMPUTATION_PAIR

SOURCE_KEY, MASK_KEY, SHARE_KEY, METHOD_KEY = (
    "keep.fill_source",
    "keep.fill_mask",
    "keep.fill_share",
    "keep.fill_method",
)
ROW_KEY, COLUMN_KEY, SEED_KEY = "keep.fill_row", "keep.fill_column", "keep.fill_seed"
MEASURE_KEY = "fill_measured"  # the masks this session has asked the validation figures for
VALIDATION_COUNT = 200
PICTURE_PX = 168
PAINT_PX = 280  # the digit under the brush, as the canvas shows it

models = lesson_models({**IMPUTATION_PAIR, "diffusion": DIFFUSION_FILE, "evaluator": EVALUATOR_FILE})
if not {"ae", "vae"} & models.keys():
    st.stop()
reference = models.get("vae") or models["ae"]
validation = validation_set(reference.dataset)
image_shape = tuple(int(s) for s in validation.images.shape[1:])

# --- the digit and what is hidden ---------------------------------------------------------------
drawn = drawing_if_chosen(SOURCE_KEY, image_shape, hint=True)
truth_label: int | None = None
if drawn is not None:
    image = drawn  # (1, C, H, W)
else:
    index = image_chooser(validation, "fill", label=t("fill_in.digit"), initial_class=7, initial_number=1)
    image, truth_label = validation.images[index : index + 1], int(validation.labels[index])

mask_kinds = [*MASK_KINDS, "painted"]
default(MASK_KEY, "bottom", mask_kinds)
kind = st.radio(
    t("fill_in.mask"),
    mask_kinds,
    key=MASK_KEY,
    horizontal=True,
    format_func=option_labels(mask_kinds, "fill_in.mask"),
)
share, center = 0.5, (0.5, 0.5)
if kind == "painted":  # the hidden part painted with the pointer (or a finger) over the digit itself
    hidden = painted_over(image, image_shape, PAINT_PX)
    if not hidden.any():
        st.info(t("fill_in.paint_waiting"))
        st.stop()
if kind in ("square", "random"):
    default(SHARE_KEY, 0.3 if kind == "square" else 0.5, low=0.1, high=0.8)
    c1, c2, c3 = st.columns(3) if kind == "square" else (st.container(), None, None)
    share = decimal_slider(t("fill_in.share"), 0.1, 0.8, 0.05, key=SHARE_KEY, place=c1)
    if c2 is not None and c3 is not None:
        default(ROW_KEY, 0.5, low=0.0, high=1.0)
        default(COLUMN_KEY, 0.5, low=0.0, high=1.0)
        row = decimal_slider(t("fill_in.row"), 0.0, 1.0, 0.05, key=ROW_KEY, place=c2)
        column = decimal_slider(t("fill_in.column"), 0.0, 1.0, 0.05, key=COLUMN_KEY, place=c3)
        center = (row, column)
if kind != "painted":
    hidden = hidden_mask(kind, image_shape[1], image_shape[2], share=share, center=center, seed=7)

default(METHOD_KEY, "optimise", list(METHODS))
default(SEED_KEY, 0, low=0)
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
method = c1.radio(
    t("fill_in.method"),
    list(METHODS),
    key=METHOD_KEY,
    horizontal=True,
    format_func=option_labels(METHODS, "fill_in.method"),
    help=t("fill_in.method_help"),
)
c2.button(t("fill_in.new_sample"), on_click=bump, args=(SEED_KEY,), icon=":material/casino:", key="fill_new_sample")

left, right, _ = st.columns([1, 1, 2])
left.image(
    picture_url(image, min_side=PICTURE_PX, padding=0),
    width=PICTURE_PX,
    caption=t("fill_in.truth"),
    alt=t("alt.fill_in.truth"),
)
right.image(
    mask_picture(image, hidden, PICTURE_PX), width=PICTURE_PX, caption=t("fill_in.given"), alt=t("alt.fill_in.given")
)

# --- each model's completion, in a column under its name ----------------------------------------
evaluator = models.get("evaluator")
for place, (kind_name, title_key) in zip(st.columns(len(COLUMNS), gap="medium"), COLUMNS.items(), strict=True):
    place.container(key=f"model_name_fill_{kind_name}").subheader(t(title_key))
    with place.container(key=f"model_body_fill_{kind_name}"):
        model = models.get(kind_name)
        if model is None:
            st.info(t("fill_in.missing"))
            continue
        if kind_name == "diffusion":
            done = inpainted(model, image, hidden, int(st.session_state[SEED_KEY]))
        else:
            done = filled_in(model, image, hidden, method)
        read = None if evaluator is None else int(read_as(evaluator, done.result)[0])
        show_completion(done, image, hidden, kind_name, read, truth_label, PICTURE_PX)

# --- the validation digits ----------------------------------------------------------------------
st.subheader(t("fill_in.figures_title", n=VALIDATION_COUNT))
st.markdown(t("fill_in.figures_intro"))
mask_name = f"{kind}:{decimal(share, 2)}:{decimal(center[0], 2)}:{decimal(center[1], 2)}:{hidden.tobytes().hex()}"
measured = st.session_state.setdefault(MEASURE_KEY, set())
if evaluator is None:
    st.info(t("fill_in.missing_evaluator"))
elif mask_name not in measured:
    if st.button(t("fill_in.measure", n=VALIDATION_COUNT), icon=":material/analytics:", key="fill_measure"):
        measured.add(mask_name)
        st.rerun()
else:
    with st.spinner(t("fill_in.measuring", n=VALIDATION_COUNT)):
        rows = validation_fill_figures(completers(models), evaluator, hidden, VALIDATION_COUNT)
    st.markdown(figures_table(rows))
    st.caption(t("fill_in.figures_note", n=VALIDATION_COUNT))

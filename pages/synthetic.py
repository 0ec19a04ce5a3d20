"""Synthetic data: a conditional VAE writes every digit in one handwriting and labelled digits from its
prior; an experiment measures whether those digits help a classifier that has few real ones."""

from ui.shell import page_setup

page_setup("synthetic")

import numpy as np
import streamlit as st

from ui.compute import experiment, handwriting, in_every_digit, prior_styles, read_as, validation_set
from ui.images import picture_url
from ui.state import default
from ui.synthetic_views import POLL_SECONDS, show_experiment
from ui.texts import decimal, number, t
from ui.uses_views import lesson_models
from ui.widgets import drawing_if_chosen, image_chooser
from vae_core.augmentation import ExperimentSettings
from vae_core.shipped import CONDITIONAL_FILE, EVALUATOR_FILE

SOURCE_KEY, SEED_KEY = "keep.synthetic_source", "keep.synthetic_seed"
SYNTHETIC_KEY, RUNS_KEY = "keep.synthetic_per_class", "keep.synthetic_runs"
STYLES = 5  # rows of the prior's grid
SYNTHETIC_CHOICES, RUNS_CHOICES = (20, 100, 500), (3, 5)
PICTURE_PX = 140

models = lesson_models({"cvae": CONDITIONAL_FILE, "evaluator": EVALUATOR_FILE})
if "cvae" not in models:
    st.stop()
cvae, evaluator = models["cvae"], models.get("evaluator")
validation = validation_set(cvae.dataset)
image_shape = tuple(int(s) for s in validation.images.shape[1:])

# --- every digit in this handwriting ------------------------------------------------------------
st.subheader(t("synthetic.handwriting_title"))
drawn = drawing_if_chosen(SOURCE_KEY, image_shape) if evaluator is not None else None
if drawn is not None:
    image = drawn  # (1, C, H, W)
    digit = int(read_as(evaluator, image)[0])  # the label the encoder is given: what the evaluator reads
    given = t("synthetic.label_read", digit=digit)
else:
    index = image_chooser(validation, "synthetic", label=t("fill_in.digit"), initial_class=2, initial_number=0)
    image, digit = validation.images[index : index + 1], int(validation.labels[index])
    given = t("synthetic.label_given", digit=digit)
row = in_every_digit(cvae, handwriting(cvae, image, np.array([digit])))[0]  # (classes, C, H, W)
left, right = st.columns([1, 3], gap="large")
left.image(
    picture_url(image, min_side=PICTURE_PX, padding=0),
    width=PICTURE_PX,
    caption=given,
    alt=t("alt.synthetic.source", digit=digit),
)
with right:
    st.image(
        picture_url(row, per_row=5, padding=1), width="stretch", alt=t("alt.synthetic.handwriting", count=len(row))
    )
    if evaluator is not None:
        landed = int(np.sum(read_as(evaluator, row) == np.arange(len(row))))
        st.caption(t("synthetic.handwriting_read", landed=landed, total=len(row)))

# --- labelled digits from the prior -------------------------------------------------------------
st.subheader(t("synthetic.prior_title"))
default(SEED_KEY, 0, low=0, high=9999)
seed = int(st.number_input(t("synthetic.seed"), 0, 9999, step=1, key=SEED_KEY, help=t("synthetic.seed_help")))
grid = in_every_digit(cvae, prior_styles(cvae, STYLES, seed))  # (STYLES, classes, C, H, W)
n_classes = grid.shape[1]
st.image(
    picture_url(grid.reshape(-1, *image_shape), per_row=n_classes, padding=1),
    width="stretch",
    alt=t("alt.synthetic.prior", rows=grid.shape[0], count=n_classes),
)
recorded = cvae.info.metrics.get("label_accuracy")
if evaluator is not None:
    landed = int(np.sum(read_as(evaluator, grid.reshape(-1, *image_shape)) == np.tile(np.arange(n_classes), STYLES)))
    note = t("synthetic.prior_read", landed=landed, total=grid.shape[0] * n_classes)
    if recorded is not None:
        note += " " + t("synthetic.prior_recorded", share=decimal(100 * recorded, 0))
    st.caption(note)

# --- the experiment: do they help a classifier? --------------------------------------------------
st.subheader(t("synthetic.experiment_title"))
st.markdown(t("synthetic.experiment_intro"))
default(SYNTHETIC_KEY, 100, SYNTHETIC_CHOICES)
default(RUNS_KEY, 3, RUNS_CHOICES)
c1, c2 = st.columns(2)
per_class = c1.select_slider(t("synthetic.per_class"), SYNTHETIC_CHOICES, key=SYNTHETIC_KEY, format_func=number)
runs = c2.select_slider(t("synthetic.runs"), RUNS_CHOICES, key=RUNS_KEY, help=t("synthetic.runs_help"))
settings = ExperimentSettings(synthetic_per_class=int(per_class), runs=int(runs))
call = experiment(cvae, settings, start=False)
state = call.state() if call is not None else None
if state is None or state.error is not None:
    if st.button(t("synthetic.run"), type="primary", key="synthetic_run"):
        experiment(cvae, settings, start=True)
        st.rerun()
    st.caption(t("synthetic.run_note"))
polling = state is not None and not state.finished
st.fragment(show_experiment, run_every=POLL_SECONDS if polling else None)(cvae, settings, polling)
st.markdown(t("synthetic.caveat"))

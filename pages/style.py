"""Style: directions in the VAE's latent space along which a digit gets bolder, more slanted or wider,
measured on the decoded images themselves; and a digit's handwriting carried over to every other digit."""

from ui.shell import page_setup

page_setup("style")

import numpy as np
import streamlit as st

from ui.compute import decoded, encodings, mean_codes, read_as, style_direction, validation_set
from ui.figures import attribute_chart
from ui.images import picture_url
from ui.state import default
from ui.style import show_chart
from ui.texts import decimal, option_labels, plot_separators, t
from ui.uses_views import lesson_models
from ui.widgets import decimal_slider, drawing_if_chosen, image_chooser
from vae_core import encode
from vae_core.attributes import ALPHA_RANGE, ATTRIBUTES, along, analogy, measure, slope
from vae_core.shipped import EVALUATOR_FILE, IMPUTATION_PAIR

SOURCE_KEY, ATTRIBUTE_KEY, ALPHA_KEY = "keep.style_source", "keep.style_attribute", "keep.style_alpha"
STEPS = 9  # decoded images from α = −2 to +2
PICTURE_PX = 168

models = lesson_models({"vae": IMPUTATION_PAIR["vae"], "evaluator": EVALUATOR_FILE})
if "vae" not in models:
    st.stop()
vae, evaluator = models["vae"], models.get("evaluator")
validation = validation_set(vae.dataset)
image_shape = tuple(int(s) for s in validation.images.shape[1:])

# --- controls -----------------------------------------------------------------------------------
drawn = drawing_if_chosen(SOURCE_KEY, image_shape)
if drawn is not None:
    image = drawn  # (1, C, H, W)
    code = encode(vae.model, image).mu[0]  # (D,)
else:
    index = image_chooser(
        validation, "style", label=t("fill_in.digit"), initial_class=7, initial_number=1
    )  # a clear 7: it slants a long way
    image, code = validation.images[index : index + 1], encodings(vae).mu[index]
digit = int(read_as(evaluator, image)[0]) if evaluator is not None else None
if drawn is None:
    digit = int(validation.labels[index])

default(ATTRIBUTE_KEY, "slant", list(ATTRIBUTES))
default(ALPHA_KEY, 1.0, low=-ALPHA_RANGE, high=ALPHA_RANGE)
c1, c2 = st.columns([3, 2])
attribute = c1.radio(
    t("style.attribute"),
    list(ATTRIBUTES),
    key=ATTRIBUTE_KEY,
    horizontal=True,
    format_func=option_labels(ATTRIBUTES, "style.attribute"),
    help=t("style.attribute_help"),
)
alpha = decimal_slider(
    t("style.alpha"), -ALPHA_RANGE, ALPHA_RANGE, 0.25, key=ALPHA_KEY, place=c2, help=t("style.alpha_help")
)

# --- along the direction ------------------------------------------------------------------------
direction = style_direction(vae, attribute)  # (D,)
alphas = np.linspace(-ALPHA_RANGE, ALPHA_RANGE, STEPS)
strip = decoded(vae, along(code, direction, alphas))  # (STEPS, C, H, W)
values = measure(strip, attribute)
moved = decoded(vae, along(code, direction, np.array([alpha])))  # (1, C, H, W)
own = float(measure(image, attribute)[0])
reads = read_as(evaluator, strip) if evaluator is not None else None
kept = reads == digit if reads is not None and digit is not None else np.ones(STEPS, dtype=bool)

unit = t(f"style.unit.{attribute}")
left, right = st.columns([2, 3], gap="large")
with left:
    c1, c2 = st.columns(2)
    c1.image(
        picture_url(image, min_side=PICTURE_PX, padding=0),
        width=PICTURE_PX,
        caption=t("style.original"),
        alt=t("alt.style.original"),
    )
    c2.image(
        picture_url(moved, min_side=PICTURE_PX, padding=0),
        width=PICTURE_PX,
        caption=t("style.moved", alpha=decimal(alpha, 2)),
        alt=t("alt.style.moved", alpha=decimal(alpha, 2)),
    )
    st.markdown(
        t(
            "style.measured",
            attribute=t(f"style.attribute.{attribute}"),
            own=decimal(own, 2),
            moved=decimal(float(measure(moved, attribute)[0]), 2),
            unit=unit,
        )
    )
    st.markdown(t("style.slope", slope=decimal(slope(alphas, values), 2), unit=unit))
with right:
    figure = attribute_chart(
        alphas,
        values,
        kept,
        alpha=alpha,
        own=own,
        x_title=t("style.chart_x"),
        y_title=f"{t(f'style.attribute.{attribute}')} ({unit})",
        names=(t("style.kept", digit=digit), t("style.lost", digit=digit), t("style.own")),
        separators=plot_separators(),
    )
    show_chart(figure, key="style_chart")
st.image(picture_url(strip, padding=1), width="stretch", alt=t("alt.style.strip", count=len(strip)))
st.caption(t("style.strip", high=decimal(ALPHA_RANGE, 0)))
if not kept.all():
    st.markdown(t("style.limit"))

# --- this digit's handwriting, as every digit ---------------------------------------------------
st.subheader(t("style.analogy_title"))
means = mean_codes(vae)  # (classes, D)
if digit is None:
    st.info(t("fill_in.missing_evaluator"))
    st.stop()
st.markdown(t("style.analogy_intro", digit=digit))
targets = [c for c in range(len(means)) if not np.isnan(means[c]).any()]
transferred = decoded(vae, np.stack([analogy(code, means[digit], means[c]) for c in targets]))  # (classes, C, H, W)
with st.columns([3, 2])[0]:  # two rows of five: on a phone too each digit is large enough to read
    st.image(picture_url(transferred, per_row=5, padding=1), width="stretch", alt=t("alt.style.analogy", digit=digit))
    if evaluator is not None:
        landed = int(np.sum(read_as(evaluator, transferred) == np.array(targets)))
        st.caption(t("style.analogy_read", landed=landed, total=len(targets)))

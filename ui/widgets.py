"""Controls used on several pages: a slider of decimals in the app's language, a validation image
by class and number (or at random), one model of the pair, and a button that draws new random
images."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from .cached_models import LoadedModel
from .compute import ValidationSet
from .picker import PickedModels
from .state import DRAWN, default, write_link
from .texts import class_label, decimal_names, kind_label, labels, t


@functools.lru_cache(maxsize=256)
def slider_steps(low: float, high: float, step: float) -> tuple[float, ...]:
    """The multiples of `step` from `low` to `high`, each rounded to a clean float (0.3, not
    0.30000000000000004) so that a test or a link naming 0.3 finds it."""
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return tuple(round(k * step, 10) + 0.0 for k in range(first, last + 1))  # + 0.0: no -0.0


def step_digits(step: float) -> int:
    """The decimals a value on a grid of `step` needs: 1 for 0.5, 2 for 0.25 or 0.05."""
    return next(digits for digits in range(10) if abs(round(step, digits) - step) < 1e-9)


def decimal_slider(
    label: str, low: float, high: float, step: float, *, key: str, place: DeltaGenerator | None = None, **kwargs: Any
) -> float:
    """A slider of decimals that writes its numbers in the app's language (0,25 in Portuguese).
    st.slider writes them with a point, or in the browser's locale, never in the app's: this is a
    select_slider over the same steps. A kept value between two steps moves to the nearer one."""
    options = slider_steps(low, high, step)
    kept = st.session_state.get(key)
    if isinstance(kept, int | float) and kept not in options:
        st.session_state[key] = min(options, key=lambda option: abs(option - kept))
        write_link(key)
    names = decimal_names(options, step_digits(step))
    return (place or st).select_slider(label, options, key=key, format_func=names, **kwargs)


def _keys(prefix: str) -> tuple[str, str]:
    return f"keep.{prefix}_class", f"keep.{prefix}_index"


def image_chooser(
    validation: ValidationSet, prefix: str, *, label: str, initial_class: int = 0, initial_number: int = 0
) -> int:
    """A class and a number within that class; returns the image's index in the validation set."""
    class_key, index_key = _keys(prefix)
    classes = [c for c in range(len(validation.class_names)) if len(validation.indices_of(c))]
    default(class_key, initial_class if initial_class in classes else classes[0], classes)
    left, right = st.columns([3, 2])
    names = labels(classes, lambda c: class_label(validation.class_names[c]))
    chosen_class = left.selectbox(label, classes, key=class_key, format_func=names)
    members = validation.indices_of(chosen_class)
    default(index_key, min(initial_number, len(members) - 1), low=0, high=len(members) - 1)
    number = right.number_input(t("chooser.number", count=len(members)), 0, len(members) - 1, step=1, key=index_key)
    return int(members[int(number)])


def choose_random_image(validation: ValidationSet, prefix: str, rng: np.random.Generator) -> None:
    """A callback: pick a random image for `image_chooser(prefix)` (sets its widgets' values)."""
    class_key, index_key = _keys(prefix)
    index = int(rng.integers(len(validation)))
    label = int(validation.labels[index])
    st.session_state[class_key] = label
    st.session_state[index_key] = int(np.flatnonzero(validation.indices_of(label) == index)[0])


def model_choice(picked: PickedModels, key: str, *, label: str, place: DeltaGenerator | None = None) -> LoadedModel:
    """The AE or the VAE of the pair (the VAE first where there is one), as a radio."""
    kinds = picked.kinds
    default(key, "vae" if "vae" in kinds else kinds[0], kinds)
    kind = (place or st).radio(label, kinds, key=key, horizontal=True, format_func=labels(kinds, kind_label))
    model = picked.member(kind)
    assert model is not None  # `kinds` lists loaded members only
    return model


def bump(key: str) -> None:
    """A callback: add one to a seed in session state, so the page draws new random images."""
    st.session_state[key] = int(st.session_state.get(key, 0)) + 1


def drawing_if_chosen(key: str, image_shape: tuple[int, ...], *, hint: bool = False) -> np.ndarray | None:
    """The digit drawn on the Draw page (1, C, H, W) where one of this size is kept and the user picks it
    over a validation digit; None for a validation digit. `hint`: say so where nothing is drawn yet."""
    drawn = st.session_state.get(DRAWN)
    default(key, "validation", ["validation", "drawing"])
    if drawn is None or tuple(drawn.shape[1:]) != tuple(image_shape):
        if hint:
            st.caption(t("fill_in.draw_hint"))
        return None
    sources = ["validation", "drawing"]
    names = labels(sources, lambda source: t(f"fill_in.source.{source}"))
    source = st.radio(t("fill_in.source"), sources, key=key, horizontal=True, format_func=names)
    return np.asarray(drawn, dtype=np.float32) if source == "drawing" else None

"""The Style page: a digit moved along an attribute's direction in the VAE's latent space, the measured
attribute plotted against α, and the digit's handwriting carried to every digit; in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.app_testing import assert_clean, image_urls, open_app
from ui.state import DRAWN
from ui.texts import t
from vae_core import decode, encode, load_checkpoint, load_dataset
from vae_core.attributes import along, attribute_direction, measure, slope
from vae_core.shipped import IMPUTATION_PAIR


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def figure(at) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_measured_slant_rises_along_its_direction_as_the_page_says(checkpoints: Path, lang: str) -> None:
    at = open_app("style", lang=lang)
    assert_clean(at)
    assert at.radio(key="keep.style_attribute").value == "slant"
    assert len(image_urls(at)) == 4  # the digit, the moved digit, the strip, the ten transferred digits
    data = load_dataset("mnist")
    vae = load_checkpoint(checkpoints / IMPUTATION_PAIR["vae"])[0]
    images = data.train_images.numpy()
    direction = attribute_direction(encode(vae, images).mu, measure(images, "slant"), data.train_labels.numpy())
    index = int(np.flatnonzero(data.val_labels.numpy() == 7)[1])  # the page's first digit
    alphas = np.linspace(-2, 2, 9)
    values = measure(
        decode(vae, along(encode(vae, data.val_images[index : index + 1]).mu[0], direction, alphas)), "slant"
    )
    drawn = figure(at)
    markers = [trace for trace in drawn["data"] if trace.get("mode") == "markers"]
    plotted = sorted((x, y) for trace in markers for x, y in zip(trace["x"], trace["y"], strict=True))
    assert np.allclose([y for _, y in plotted], values, atol=1e-4)
    assert drawn["layout"]["separators"] == (",." if lang == "pt" else ".,")
    rise = f"{slope(alphas, values):.2f}"
    assert t("style.slope", lang=lang, slope=rise.replace(".", ",") if lang == "pt" else rise,
             unit=t("style.unit.slant", lang=lang)) in markdown(at)  # fmt: skip
    assert slope(alphas, values) > 0


def test_each_attribute_and_alpha_redraws_the_digit(checkpoints: Path) -> None:
    at = open_app("style")
    first = image_urls(at)
    at.select_slider(key="keep.style_alpha").set_value(-1.5).run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(first)) == 1  # only the moved digit
    for attribute in ("ink", "width"):
        before = image_urls(at)
        at.radio(key="keep.style_attribute").set_value(attribute).run()
        assert_clean(at)
        assert len(set(image_urls(at)) - set(before)) == 2  # the moved digit and the strip
        assert t(f"style.unit.{attribute}") in figure(at)["layout"]["yaxis"]["title"]["text"]


def test_the_handwriting_of_a_drawn_digit_is_carried_to_every_digit(checkpoints: Path) -> None:
    at = open_app("style")
    data = load_dataset("mnist")
    at.session_state[DRAWN] = data.val_images[10:11].numpy()
    at.run()
    at.radio(key="keep.style_source").set_value("drawing").run()
    assert_clean(at)
    assert any(c.value.startswith(t("style.analogy_read", landed=0, total=10)[:12]) for c in at.caption)

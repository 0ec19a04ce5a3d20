"""The Draw page through AppTest, in both languages: an uploaded photo or a drawing on the canvas
is prepared, redrawn by both models and scored against the validation images; every bad input
gets its own message in the user's language, never a traceback."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.app_testing import assert_clean, assert_no_exception, image_urls, open_app
from tests.browser.student import text_fragment
from ui.texts import LANGUAGES, t
from vae_core.data import MNIST_5K_ASSET

CANVAS_KEY, SOURCE_KEY = "draw_canvas", "keep.draw_source"
SEVEN = [[[0.3, 0.2], [0.7, 0.2], [0.45, 0.8]]]


def photo_png() -> bytes:
    """An MNIST 3 written dark on light paper, enlarged: what a phone's photo of a digit looks like."""
    with np.load(MNIST_5K_ASSET) as f:
        digit = f["images"][f["labels"] == 3][0]
    picture = Image.fromarray(255 - (digit.astype(np.float32) * 0.8).astype(np.uint8)).resize((360, 360))
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(at: AppTest, name: str, data: bytes, mime: str = "image/png") -> AppTest:
    at.radio(key=SOURCE_KEY).set_value("upload").run()
    return at.get("file_uploader")[0].set_value((name, data, mime)).run()


def draw(at: AppTest, strokes: list) -> AppTest:
    """What the canvas sends when a stroke ends: its state, set as the browser would."""
    at.session_state[CANVAS_KEY] = {"strokes": strokes}
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def chart_traces(at: AppTest) -> list[list[str]]:
    """The trace names of each plotly chart of the page."""
    return [[trace.get("name", "") for trace in json.loads(c.proto.spec)["data"]] for c in at.get("plotly_chart")]


def assert_redrawn(at: AppTest, lang: str) -> None:
    """The prepared input and both reconstructions, each model's error percentile, the drawn code
    marked on both maps and the VAE's σ ellipse on its own."""
    assert_clean(at)
    assert len(at.image) == 3, [i.captions for i in at.image]  # prepared, AE, VAE
    prefix = text_fragment("draw.error", lang)
    assert sum(prefix in m.value for m in at.markdown) == 2, texts(at)
    ae, vae = chart_traces(at)
    assert t("draw.your_code", lang=lang) in ae and t("draw.your_code", lang=lang) in vae
    assert any(name.startswith(t("draw.ellipse", lang=lang)) for name in vae)
    assert not any(name.startswith(t("draw.ellipse", lang=lang)) for name in ae)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_page_waits_for_a_digit_and_shows_both_latent_maps(lang: str) -> None:
    at = open_app("draw", lang=lang)
    assert_clean(at)
    assert [i.value for i in at.info] == [t("draw.waiting_canvas", lang=lang)]
    assert len(at.get("plotly_chart")) == 2 and not at.image


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_an_uploaded_photo_is_prepared_redrawn_and_scored(lang: str) -> None:
    at = upload(open_app("draw", lang=lang), "my three.png", photo_png())
    assert_redrawn(at, lang)
    caption = t("draw.prepared", lang=lang, w=28, h=28)
    assert at.image[0].captions == [caption]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_drawing_on_the_canvas_is_redrawn_and_scored(lang: str) -> None:
    at = draw(open_app("draw", lang=lang), SEVEN)
    assert_redrawn(at, lang)
    draw(at, [])  # "Clear": the page waits again
    assert_clean(at)
    assert [i.value for i in at.info] == [t("draw.waiting_canvas", lang=lang)]


def test_a_drawing_survives_a_visit_to_upload_and_back() -> None:
    at = draw(open_app("draw"), SEVEN)
    before = image_urls(at)
    at.radio(key=SOURCE_KEY).set_value("upload").run()
    assert_clean(at)
    assert not at.image
    at.radio(key=SOURCE_KEY).set_value("canvas").run()
    assert_redrawn(at, "en")
    assert image_urls(at) == before  # the same drawing, not a new one
    draw(at, [])  # and "Clear" still clears it
    assert [i.value for i in at.info] == [t("draw.waiting_canvas")]


PAIRS = [("mnist", 2, None), ("mnist", 16, "mlp"), ("mnist", 16, "conv"), ("digits", 2, None)]


@pytest.mark.parametrize(("dataset", "latent", "arch"), PAIRS)
def test_every_pretrained_pair_takes_a_drawing(dataset: str, latent: int, arch: str | None) -> None:
    at = open_app("draw")
    at.sidebar.selectbox(key="keep.pick_dataset").set_value(dataset).run()
    at.sidebar.selectbox(key="keep.pick_latent").set_value(latent).run()
    if arch is not None:
        box = at.sidebar.selectbox(key="keep.pick_pair")
        choice = next(o for o in box.options if t(f"arch.{arch}") in o)
        box.select(choice).run()
    draw(at, SEVEN)
    assert_redrawn(at, "en")
    side = 8 if dataset == "digits" else 28
    assert at.image[0].captions == [t("draw.prepared", w=side, h=side)]
    if latent > 2:  # the codes and the ellipse seen through PCA, and said so
        assert any(text_fragment("draw.scatter_caption_pca") in c.value for c in at.caption)


def big_png(side: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (side, side), 1).save(buffer, format="PNG")
    return buffer.getvalue()


BAD_UPLOADS = {
    "too_big": ("photo.png", b"\x89PNG" + bytes(50 * 2**20)),
    "not_image": ("notes.png", b"these are my notes, not a picture\n" * 10),
    "pdf_renamed": ("scan.png", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
    "too_many_pixels": ("huge.png", big_png(10_000)),
    "blank": ("white.png", big_png(300)),
}
REASONS = {"pdf_renamed": "not_image"}


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_gets_its_own_message(case: str, lang: str) -> None:
    name, data = BAD_UPLOADS[case]
    at = upload(open_app("draw", lang=lang), name, data)
    assert_no_exception(at)
    key = "draw.error." + REASONS.get(case, case)
    assert len(at.error) == 1 and text_fragment(key, lang) in at.error[0].value, [e.value for e in at.error]
    assert not at.image  # no prepared input, no reconstruction
    assert len(at.get("plotly_chart")) == 2  # the maps stay


def test_a_file_name_is_shown_as_plain_text() -> None:
    at = upload(open_app("draw"), "[click](http://x.y) *me*.png", b"not an image")
    assert "\\[click\\]" in at.error[0].value and "\\*me\\*" in at.error[0].value


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_an_empty_or_garbled_drawing_gets_its_message(lang: str) -> None:
    at = draw(open_app("draw", lang=lang), [[]])  # strokes with no points: an empty canvas
    assert_no_exception(at)
    assert [e.value for e in at.error] == [t("draw.error.empty", lang=lang)]
    draw(at, [[["x", None]]])  # not what the canvas sends: a forged message
    assert [e.value for e in at.error] == [t("draw.error.bad_strokes", lang=lang)]
    assert not at.image

"""The Latent pad page, and the pad on the Latent sliders page, through AppTest in both languages: what
the pads are given (weights once, the planes, the marks), the pinned pictures, the 16-D controls and
a conv pair decoded on the server. The pointer itself is tested in Chromium (tests/browser/test_pad.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from bench.protocol_student import option_number
from tests.app_testing import assert_clean, image_urls, open_app
from tests.shipped_copies import SHIPPED as CHECKPOINTS
from ui.latent_pad import HELD_KEY, square_extent, valid_code
from ui.texts import t
from vae_core import decode, load_checkpoint
from vae_core.evaluator import readings
from vae_core.latent import plane_codes
from vae_core.shipped import EVALUATOR_FILE

PAD_COMPONENT = "latent_lab_latent_pad"


def pads(at: AppTest) -> dict[str, dict]:
    """Each pad's data by model kind, as sent to the browser."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == PAD_COMPONENT:
            data = json.loads(element.proto.json)
            found[data["kind"]] = data
    return found


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_pad_page_sends_both_decoders_and_pins_the_origin(lang: str) -> None:
    at = open_app("latent_pad", lang=lang)
    assert_clean(at)
    assert at.title[0].value == t("latent_pad.title", lang=lang)
    sent = pads(at)
    assert set(sent) == {"ae", "vae"}
    for kind, data in sent.items():
        assert data["mode"] == "browser", kind
        assert data["decoder"]["id"] == data["decoder_id"]  # the weights, the first time
        assert data["decoder"]["latent_dim"] == 2 and data["image_shape"] == [1, 28, 28]
        assert len(data["points"]["x"]) == len(data["points"]["label"]) == 500
        assert data["pin"] and data["server_every_ms"] is None  # moving sends nothing to the server
        assert data["pinned"] == [0.0, 0.0] and data["code"] == [0.0, 0.0]
        x0, x1, y0, y1 = data["extent"]
        assert x1 - x0 == pytest.approx(y1 - y0)  # a square plane: one unit as long on both axes
        assert data["comma"] == (lang == "pt")
    assert sent["vae"]["extent"] == pytest.approx([-5.0, 5.0, -5.0, 5.0])
    assert len(image_urls(at)) == 2  # the pinned code, decoded on the server under each pad
    captions = [c for image in at.image for c in image.captions]
    zero = "0.00" if lang == "en" else "0,00"
    assert all(zero in caption for caption in captions), captions
    assert any(t("latent_pad.scales", lang=lang, ratio="")[:20] in m.value for m in at.markdown)


def test_weights_are_left_out_once_the_browser_holds_them() -> None:
    at = open_app("latent_pad")
    ids = {kind: data["decoder_id"] for kind, data in pads(at).items()}
    at.session_state[HELD_KEY] = {ids["ae"]}  # what the browser's "held" trigger records
    at.run()
    sent = pads(at)
    assert sent["ae"]["decoder"] is None and sent["ae"]["decoder_id"] == ids["ae"]
    assert sent["vae"]["decoder"] is not None
    size = sum(len(json.dumps(data)) for data in sent.values())
    at.session_state[HELD_KEY] = set(ids.values())
    at.run()
    assert sum(len(json.dumps(data)) for data in pads(at).values()) < size / 10


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_pinned_code_is_decoded_on_the_server(lang: str) -> None:
    at = open_app("latent_pad", lang=lang)
    before = image_urls(at)
    at.session_state["keep.pad_pin_x"] = 1.5
    at.session_state["keep.pad_pin_y"] = -0.75
    at.run()
    assert_clean(at)
    after = image_urls(at)
    assert len(after) == 2 and set(after).isdisjoint(before)
    shown = "(1.50, -0.75)" if lang == "en" else "(1,50; -0,75)"
    captions = [c for image in at.image for c in image.captions]
    assert len(captions) == 2 and all(shown in c for c in captions), captions
    assert all(data["pinned"] == [1.5, -0.75] for data in pads(at).values())


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_16d_pads_move_two_chosen_dimensions(lang: str) -> None:
    at = open_app("latent_pad", lang=lang)
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    pairs = at.selectbox(key="keep.pick_pair").options
    mlp = [p for p in pairs if t("arch.mlp", lang=lang) in p]
    at.selectbox(key="keep.pick_pair").select(mlp[0]).run()
    at.selectbox(key="keep.pad_dim_x").set_value(4).run()
    assert_clean(at)
    sent = pads(at)
    assert all(d["dims"] == [4, 1] and d["base"] == [0.0] * 16 and d["mode"] == "browser" for d in sent.values())
    assert t("latent_pad.others_zero", lang=lang, count=14) in [c.value for c in at.caption]

    at.radio(key="keep.pad_base").set_value("image").run()  # the others at an image's code
    assert_clean(at)
    sent = pads(at)
    for data in sent.values():
        base = np.array(data["base"])
        assert np.count_nonzero(base) > 2
        assert data["base_mark"] == pytest.approx([base[4], base[1]])
    assert sent["ae"]["base"] != sent["vae"]["base"]  # each model's own code of the image


def test_a_conv_pair_decodes_on_the_server() -> None:
    at = open_app("latent_pad")
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    conv = [p for p in at.selectbox(key="keep.pick_pair").options if t("arch.conv") in p]
    if not conv:
        pytest.skip("no conv pair among the checkpoints")
    at.selectbox(key="keep.pick_pair").select(conv[0]).run()
    assert_clean(at)
    for data in pads(at).values():
        assert data["mode"] == "server" and data["decoder"] is None
        assert data["server_every_ms"] == 200  # at most 5 positions a second
        assert data["image"].startswith("data:image/png;base64,") and data["image_code"] == [0.0, 0.0]
    assert t("latent_pad.server_note") in [c.value for c in at.caption]
    at.session_state["pad_code"] = (2.0, -1.0)  # where the pointer was, as the pad's callback records it
    at.run()
    assert all(data["image_code"] == [2.0, -1.0] for data in pads(at).values())


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_sliders_page_has_a_pad_for_2d_mlp_models_only(lang: str) -> None:
    at = open_app("latent_sliders", lang=lang)
    assert_clean(at)
    sent = pads(at)
    assert list(sent) == ["vae"]  # the chosen model only
    data = sent["vae"]
    assert data["on_release"] and data["return_on_leave"] and not data["pin"]
    sliders = [s for s in at.select_slider if s.key and s.key.startswith("z.")]
    assert data["code"] == pytest.approx([s.value for s in sliders])
    ends = [option_number(label) for s in sliders[:2] for label in (s.options[0], s.options[-1])]
    assert data["extent"] == pytest.approx(ends)  # the pad spans the sliders' ranges
    sliders[0].set_value(1.0).run()
    assert pads(at)["vae"]["code"][0] == pytest.approx(1.0)
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    assert not pads(at)


def test_codes_from_the_browser_are_checked() -> None:
    assert valid_code([1, 2.5]) == (1.0, 2.5)
    assert valid_code([1e9, -1e9]) == (1000.0, -1000.0)
    for bad in (None, "1,2", [1], [1, 2, 3], ["a", 1], [float("nan"), 0], {"x": 1}):
        assert valid_code(bad) is None
    assert square_extent(np.array([[-1.0, 3.0], [0.0, 1.0]])) == pytest.approx((-1.0, 3.0, -1.5, 2.5))


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_each_mnist_pad_carries_what_the_evaluator_reads_on_its_plane(lang: str) -> None:
    """The screen reader's "looks like a 7" comes from these: the evaluator's reading of the decoded
    image at each cell's centre, computed here again from the checkpoints, with no page code."""
    at = open_app("latent_pad", lang=lang)
    assert_clean(at)
    classifier, _ = load_checkpoint(CHECKPOINTS / EVALUATOR_FILE)
    for kind, data in pads(at).items():
        side = data["reading_side"]
        assert len(data["readings"]) == side * side, kind
        model, _ = load_checkpoint(CHECKPOINTS / f"mnist-{kind}-mlp-2d.pt")
        codes = plane_codes(tuple(data["extent"]), side, dims=(0, 1), base=np.zeros(2, dtype=np.float32))
        assert data["readings"] == readings(classifier, decode(model, codes)).tolist(), kind
        assert len(set(data["readings"]) - {-1}) >= 8, kind  # a 2-D plane holds most of the ten digits
        assert data["texts"]["spoken"].startswith(t(f"model.{kind}.short", lang=lang))
        assert data["texts"]["looks"] == t("latent_pad.looks_like", lang=lang, digit="{digit}")


def test_a_pad_of_the_8x8_digits_says_no_digit_it_cannot_read() -> None:
    at = open_app("latent_pad")
    at.selectbox(key="keep.pick_dataset").set_value("digits").run()
    assert_clean(at)
    assert pads(at) and all(data["readings"] is None for data in pads(at).values())

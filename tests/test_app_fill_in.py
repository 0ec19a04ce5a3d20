"""The Fill-in page: a digit with a hidden part, completed by the AE, the VAE and the diffusion model, each
figure checked against vae_core on the same digit and mask; the validation table; a drawn digit; a missing
model; in both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.app_testing import assert_clean, image_urls, open_app
from ui.state import DRAWN
from ui.texts import t
from vae_core import load_checkpoint, load_dataset
from vae_core.evaluator import features_and_classes
from vae_core.imputation import complete, hidden_error, hidden_mask, inpaint
from vae_core.shipped import DIFFUSION_FILE, EVALUATOR_FILE, IMPUTATION_PAIR


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def in_language(value: float, lang: str, digits: int = 3) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "pt" else text


def the_digit(index_in_class: int = 1, label: int = 7) -> tuple[np.ndarray, int]:
    data = load_dataset("mnist")
    members = np.flatnonzero(data.val_labels.numpy() == label)
    index = int(members[index_in_class])
    return data.val_images[index : index + 1].numpy(), label


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_each_model_fills_in_the_hidden_half_and_its_error_is_measured_on_it(checkpoints: Path, lang: str) -> None:
    at = open_app("fill_in", lang=lang)
    assert_clean(at)
    assert not at.warning
    names = [t("model.ae.long", lang=lang), t("model.vae.long", lang=lang), t("generative.model.diffusion", lang=lang)]
    assert [s for s in subheaders(at) if s in names] == names  # one column per model, under its name
    assert len(image_urls(at)) == 2 + 2 * 3  # the digit and its mask; each model's result and steps
    image, label = the_digit()
    hidden = hidden_mask("bottom", 28, 28)  # the page's first choice
    results = {
        "ae": complete(load_checkpoint(checkpoints / IMPUTATION_PAIR["ae"])[0], image, hidden, "optimise").result,
        "vae": complete(load_checkpoint(checkpoints / IMPUTATION_PAIR["vae"])[0], image, hidden, "optimise").result,
        "diffusion": inpaint(load_checkpoint(checkpoints / DIFFUSION_FILE)[0], image, hidden, seed=0).result,
    }
    shown = [m for m in markdown(at) if m.startswith(t("fill_in.error", lang=lang, error="").split("**")[0])]
    expected = [
        t("fill_in.error", lang=lang, error=in_language(hidden_error(r, image, hidden)[0], lang))
        for r in results.values()
    ]
    assert shown == expected
    evaluator = load_checkpoint(checkpoints / EVALUATOR_FILE)[0]
    for result in results.values():
        read = int(features_and_classes(evaluator, result)[1][0])
        key = "fill_in.read_right" if read == label else "fill_in.read_wrong"
        assert t(key, lang=lang, digit=read) in markdown(at)


def test_the_controls_change_what_is_hidden_and_how_it_is_filled(checkpoints: Path) -> None:
    at = open_app("fill_in")
    first = image_urls(at)
    at.radio(key="keep.fill_mask").set_value("square").run()
    assert_clean(at)
    squared = image_urls(at)
    assert len(set(squared) - set(first)) == 7  # everything but the digit itself
    at.select_slider(key="keep.fill_column").set_value(0.0).run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(squared)) == 7
    moved = image_urls(at)
    at.radio(key="keep.fill_method").set_value("iterate").run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(moved)) == 4  # the AE's and VAE's results and steps
    looped = image_urls(at)
    at.button(key="fill_new_sample").click().run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(looped)) == 2  # the diffusion model's result and steps
    at.radio(key="keep.fill_mask").set_value("random").run()
    assert_clean(at)
    assert {s.key for s in at.select_slider} == {"keep.fill_share"}  # a share, and no square to place


@pytest.mark.parametrize("lang", ["pt"])  # 30 s a run (the diffusion model's 200 digits); English is the same wiring
def test_the_validation_table_compares_five_ways_on_demand(checkpoints: Path, lang: str) -> None:
    at = open_app("fill_in", lang=lang)
    head = f"| {t('fill_in.table.method', lang=lang)} |"
    assert not [m for m in markdown(at) if m.startswith(head)]  # measured only when asked
    at.button(key="fill_measure").click().run()
    assert_clean(at)
    (table,) = [m for m in markdown(at) if m.startswith(head)]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    assert [r[0] for r in rows] == [
        t(f"fill_in.row.{key}", lang=lang)
        for key in ("ae.optimise", "ae.iterate", "vae.optimise", "vae.iterate", "diffusion")
    ]
    data = load_dataset("mnist")
    images, labels = data.val_images[:200].numpy(), data.val_labels[:200].numpy()
    hidden = hidden_mask("bottom", 28, 28)
    vae = load_checkpoint(checkpoints / IMPUTATION_PAIR["vae"])[0]
    done = complete(vae, images, hidden, "optimise").result
    error = hidden_error(done, images, hidden).mean()
    read = np.mean(features_and_classes(load_checkpoint(checkpoints / EVALUATOR_FILE)[0], done)[1] == labels)
    assert rows[2][1].strip("*") == in_language(error, lang)
    assert rows[2][2].strip("*") == t("fill_in.table.percent", lang=lang, pct=in_language(100 * read, lang, 0))
    assert rows[2][1].startswith("**")  # the VAE's search is the best of the five on a half (shipped models)
    at.radio(key="keep.fill_mask").set_value("top").run()
    assert not [m for m in markdown(at) if m.startswith(head)]  # another mask: asked for again


def test_a_digit_drawn_on_the_draw_page_can_be_filled_in(checkpoints: Path) -> None:
    at = open_app("fill_in")
    assert "keep.fill_source" not in [r.key for r in at.radio]  # nothing drawn yet: a hint instead
    assert t("fill_in.draw_hint") in [c.value for c in at.caption]
    drawn, _ = the_digit(3, label=4)
    at.session_state[DRAWN] = drawn
    at.run()
    at.radio(key="keep.fill_source").set_value("drawing").run()
    assert_clean(at)
    assert "keep.fill_class" not in [s.key for s in at.selectbox]  # no validation digit to choose
    reads = [m for m in markdown(at) if m.startswith(t("fill_in.read", digit="").split("**")[0])]
    assert len(reads) == 3 and all(m.endswith("**") for m in reads)  # no true digit to compare with


def test_without_the_diffusion_model_its_column_says_so_and_the_others_work(checkpoints: Path) -> None:
    (checkpoints / DIFFUSION_FILE).unlink()
    at = open_app("fill_in")
    assert_clean(at)
    assert t("fill_in.missing") in [i.value for i in at.info]
    assert len(image_urls(at)) == 2 + 2 * 2
    at.button(key="fill_measure").click().run()
    assert_clean(at)
    (table,) = [m for m in markdown(at) if m.startswith(f"| {t('fill_in.table.method')} |")]
    assert len(table.splitlines()) == 2 + 4


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_painted_mask_is_what_the_models_fill_in(lang: str) -> None:
    from ui.fill_in_views import MASK_CANVAS_KEY  # noqa: PLC0415
    from vae_core.drawing import check_strokes  # noqa: PLC0415
    from vae_core.imputation import BRUSH, painted_mask  # noqa: PLC0415

    at = open_app("fill_in", lang=lang)
    at.radio(key="keep.fill_mask").set_value("painted").run()
    assert_clean(at)
    assert [i.value for i in at.info] == [t("fill_in.paint_waiting", lang=lang)]  # nothing hidden yet
    assert not at.subheader or t("model.vae.long", lang=lang) not in subheaders(at)

    band = [[[0.05, 0.7], [0.95, 0.7]]]  # across the lower part, as the canvas would send it
    at.session_state[MASK_CANVAS_KEY] = {"strokes": band}
    at.run()
    assert_clean(at)
    hidden = painted_mask(check_strokes(band), 28, 28, brush=BRUSH)
    assert 0.05 < hidden.mean() < 0.2
    digit, _ = the_digit()
    vae = load_checkpoint(Path("checkpoints") / IMPUTATION_PAIR["vae"])[0]
    expected = hidden_error(complete(vae, digit, hidden, method="optimise").result, digit, hidden)
    assert any(in_language(float(expected[0]), lang) in m for m in markdown(at)), markdown(at)

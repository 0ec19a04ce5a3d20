"""The Synthetic-data page: a digit's handwriting written as every digit and labelled digits from the prior,
each caption's count checked against vae_core; the augmentation experiment run from the page in a child
process, with its table; a drawn digit; a missing model; in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from tests.app_testing import assert_clean, image_urls, open_app, wait_until
from ui.state import DRAWN
from ui.texts import t
from vae_core import load_checkpoint, load_dataset
from vae_core.conditional import every_digit_in, random_styles, style_of
from vae_core.evaluator import features_and_classes
from vae_core.shipped import CONDITIONAL_FILE, EVALUATOR_FILE

CELL = re.compile("^\\d+\\.\\d\u202f±\u202f\\d+\\.\\d$")  # one line: narrow no-break spaces


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def table_rows(at) -> list[list[str]]:
    head = f"| {t('synthetic.table.real_per_class')} |"
    tables = [m.value for m in at.markdown if m.value.startswith(head)]
    if not tables:
        return []
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in tables[0].splitlines()[2:]]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_digits_handwriting_and_the_priors_digits_are_counted_as_the_evaluator_reads_them(
    checkpoints: Path, lang: str
) -> None:
    at = open_app("synthetic", lang=lang)
    assert_clean(at)
    assert len(image_urls(at)) == 3  # the digit, its handwriting as every digit, the prior's grid
    assert at.image[0].captions == [t("synthetic.label_given", lang=lang, digit=2)]
    cvae, info = load_checkpoint(checkpoints / CONDITIONAL_FILE)
    evaluator = load_checkpoint(checkpoints / EVALUATOR_FILE)[0]
    data = load_dataset("mnist")
    index = int(np.flatnonzero(data.val_labels.numpy() == 2)[0])  # the page's first digit
    row = every_digit_in(cvae, style_of(cvae, data.val_images[index : index + 1].numpy(), [2]))[0]
    landed = int(np.sum(features_and_classes(evaluator, row)[1] == np.arange(10)))
    assert t("synthetic.handwriting_read", lang=lang, landed=landed, total=10) in captions(at)
    grid = every_digit_in(cvae, random_styles(cvae, 5, seed=0)).reshape(-1, 1, 28, 28)
    landed = int(np.sum(features_and_classes(evaluator, grid)[1] == np.tile(np.arange(10), 5)))
    share = f"{100 * info.metrics['label_accuracy']:.0f}"
    expected = t("synthetic.prior_read", lang=lang, landed=landed, total=50)
    expected += " " + t("synthetic.prior_recorded", lang=lang, share=share)
    assert expected in captions(at)
    assert [b.key for b in at.button] == ["synthetic_run"]
    first = image_urls(at)
    at.number_input(key="keep.synthetic_seed").set_value(7).run()
    assert_clean(at)
    assert image_urls(at)[:2] == first[:2] and image_urls(at)[2] != first[2]  # only the prior's grid changes


def test_the_experiment_runs_in_the_background_and_shows_that_synthetic_digits_help_with_few_real_ones(
    checkpoints: Path,
) -> None:
    at = open_app("synthetic")
    at.button(key="synthetic_run").click().run()
    assert_clean(at)
    assert not at.button  # running: no second start
    wait_until(at, lambda at: bool(table_rows(at)) or bool(at.error), timeout=300, every=1.0)
    assert_clean(at)
    rows = table_rows(at)
    assert [r[0] for r in rows] == ["5", "10", "50", "100"]
    assert all(CELL.match(cell) for r in rows for cell in r[1:]), rows
    real, synthetic = (float(rows[0][i].split("\u202f")[0]) for i in (1, 2))
    assert synthetic > real + 10  # README: with 5 real digits per class, synthetic ones add about 19 points
    (chart,) = at.get("plotly_chart")
    traces = json.loads(chart.proto.spec)["data"]
    assert len(traces) == 4 and all(len(tr["x"]) == 4 for tr in traces[:3])
    opening = t("synthetic.verdict.gains", first="5", gain="", last="100", gain_last="").split("**")[0]
    assert any(m.value.startswith(opening) for m in at.markdown)
    again = open_app("synthetic")  # another student: the server's result at once, nothing to run
    assert table_rows(again) == rows and not again.button


def test_a_drawn_digit_is_given_the_label_the_evaluator_reads(checkpoints: Path) -> None:
    at = open_app("synthetic")
    data = load_dataset("mnist")
    index = int(np.flatnonzero(data.val_labels.numpy() == 4)[3])
    at.session_state[DRAWN] = data.val_images[index : index + 1].numpy()
    at.run()
    at.radio(key="keep.synthetic_source").set_value("drawing").run()
    assert_clean(at)
    evaluator = load_checkpoint(checkpoints / EVALUATOR_FILE)[0]
    digit = int(features_and_classes(evaluator, data.val_images[index : index + 1].numpy())[1][0])
    assert at.image[0].captions == [t("synthetic.label_read", digit=digit)]


def test_without_the_conditional_vae_the_page_names_the_missing_file(checkpoints: Path) -> None:
    (checkpoints / CONDITIONAL_FILE).unlink()
    at = open_app("synthetic")
    assert_clean(at)
    assert any(CONDITIONAL_FILE in w.value for w in at.warning)
    assert not at.button and not image_urls(at)

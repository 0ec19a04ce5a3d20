"""The Uses page: plain and denoising models on the same noisy images, and anomaly detection of a digit
the models never saw (ROC, AUC, a threshold and its counts), in both languages.

Runs on a copy of the shipped checkpoints; a lesson model not built yet is stood in for by an
untrained one with the same name and training settings, so the page's wiring is tested either way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from tests.app_testing import assert_clean, assert_no_exception, image_urls, open_app
from ui.texts import t
from vae_core import CheckpointInfo, ModelConfig, build_model, load_checkpoint, load_dataset, save_checkpoint
from vae_core.anomaly import anomaly_images, anomaly_scores
from vae_core.shipped import ANOMALY_PAIR, DENOISING_PAIR, PLAIN_OF_DENOISING, UNSEEN_DIGIT

LESSON_SETTINGS = {
    **{name: (ModelConfig(kind=kind, arch="conv", latent_dim=16), {"corruption": "gaussian", "corruption_level": 0.5})
       for kind, name in DENOISING_PAIR.items()},
    **{name: (ModelConfig(kind=kind, latent_dim=16, hidden_dims=(64,)), {"without_digit": UNSEEN_DIGIT})
       for kind, name in ANOMALY_PAIR.items()},
}  # fmt: skip


@pytest.fixture
def lessons(checkpoints: Path) -> Path:
    """The checkpoints copy, with an untrained stand-in for each lesson model not shipped yet."""
    for name, (config, settings) in LESSON_SETTINGS.items():
        if not (checkpoints / name).exists():
            info = CheckpointInfo(
                config=config, dataset="mnist", image_shape=(1, 28, 28), train_settings=settings, created="2024-01-01"
            )
            save_checkpoint(checkpoints / name, build_model(config), info)
    return checkpoints


def in_language(value: float, lang: str) -> str:
    """Three decimals as `lang` writes them (ui.texts.decimal follows the session's language)."""
    text = f"{value:.3f}"
    return text.replace(".", ",") if lang == "pt" else text


def figures(at) -> list[dict]:
    """The plotly figures of the page, as the browser receives them (JSON)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def counts_tables(at, lang: str = "en") -> list[str]:
    head = f"| {t('uses.counts.images', lang=lang)} |"
    return [m for m in markdown(at) if m.startswith(head)]


def table_rows(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_plain_and_denoising_models_restore_the_same_noisy_images_with_their_errors(lessons: Path, lang: str) -> None:
    at = open_app("uses", lang=lang)
    assert_clean(at)
    assert not at.warning
    # The noise the denoising pair was trained with is the starting choice.
    assert (at.radio(key="keep.uses_noise").value, at.select_slider(key="keep.uses_level").value) == ("gaussian", 0.5)
    noise = t("uses.noise.gaussian", lang=lang)
    assert t("uses.denoise_trained", lang=lang, noise=noise, level="0,5" if lang == "pt" else "0.5") in [
        c.value for c in at.caption
    ]
    titles = [
        t(f"uses.row.{which}", lang=lang, model=model) for model in ("AE", "VAE") for which in ("plain", "denoising")
    ]
    figures = r" · [0-9.,]+ nats · PSNR [0-9.,]+ dB"
    rows = [
        m for m in markdown(at) if any(re.fullmatch(rf"\*\*{re.escape(title)}\*\*{figures}", m) for title in titles)
    ]
    assert len(rows) == 4, markdown(at)
    assert any(m.startswith(f"**{t('uses.row.noisy', lang=lang)}** · PSNR ") for m in markdown(at))
    assert len(image_urls(at)) >= 6  # clean, noisy and four restorations
    (table,) = [m for m in markdown(at) if m.startswith(f"| {t('uses.table.model', lang=lang)} |")]
    assert [row[0] for row in table_rows(table)] == [t("uses.table.noisy", lang=lang), *titles]
    if lang == "pt":
        assert "." not in table.split("\n", 2)[2], table  # decimal commas


def test_the_noise_controls_change_every_row(lessons: Path) -> None:
    at = open_app("uses")
    before = image_urls(at)
    at.select_slider(key="keep.uses_level").set_value(0.2).run()
    assert_clean(at)
    level = image_urls(at)
    assert len(set(level) - set(before)) == 5  # the noisy row and the four restorations
    at.radio(key="keep.uses_noise").set_value("square").run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(level)) == 5
    squared = image_urls(at)
    at.button(key="uses_new_images").click().run()
    assert_clean(at)
    assert len(set(image_urls(at)) - set(squared)) == 6  # other clean images, so every row of the section


def expected_aucs(folder: Path) -> dict[str, float]:
    """The AUCs computed here from the files, with scikit-learn: what the page must show."""
    images = anomaly_images(load_dataset("mnist"), UNSEEN_DIGIT, 0)
    normal, unseen = images.normal, images.unseen
    labels = np.r_[np.zeros(len(normal)), np.ones(len(unseen))]
    aucs = {}
    for kind, name in ANOMALY_PAIR.items():
        model, _ = load_checkpoint(folder / name)
        a, b = anomaly_scores(model, normal), anomaly_scores(model, unseen)
        aucs[f"{kind}_recon"] = roc_auc_score(labels, np.r_[a.recon, b.recon])
        if kind == "vae":
            aucs["vae_elbo"] = roc_auc_score(labels, np.r_[a.neg_elbo, b.neg_elbo])
    return aucs


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_roc_curves_and_their_areas_are_shown(lessons: Path, lang: str) -> None:
    at = open_app("uses", lang=lang)
    assert_clean(at)
    roc, *histograms = figures(at)
    assert len(histograms) == 2  # the AE's and the VAE's
    curves = [trace["name"] for trace in roc["data"] if trace.get("mode") == "lines"]
    assert len(curves) == 4  # chance, and one curve per score
    assert roc["layout"]["separators"] == (",." if lang == "pt" else ".,")
    for kind, auc in expected_aucs(lessons).items():
        name = t(f"uses.score.{kind}", lang=lang)
        shown = t("uses.auc_item", lang=lang, name=name, auc=in_language(auc, lang))
        assert f"- {shown}" in "\n".join(markdown(at)), (kind, auc)
        assert t("uses.roc_name", lang=lang, name=name, auc=in_language(auc, lang)) in curves


def flagged_normal(at, lang: str) -> list[int]:
    """The normal digits flagged by the AE, then by the VAE, from the count tables."""
    return [int(table_rows(table)[0][1]) for table in counts_tables(at, lang)]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_threshold_slider_changes_the_counts_and_stays_in_the_link(lessons: Path, lang: str) -> None:
    at = open_app("uses", lang=lang)
    tables = counts_tables(at, lang)
    assert len(tables) == 2
    for table in tables:
        names = [row[0] for row in table_rows(table)]
        assert names[0].startswith(t("uses.group.normal", lang=lang))
        assert names[1].startswith(t("uses.group.unseen", lang=lang, digit=UNSEEN_DIGIT))
        assert names[2:] == [f"{t('uses.group.inverted', lang=lang)} (50)", f"{t('uses.group.noise', lang=lang)} (50)"]
        for name, flagged, passed in table_rows(table):
            assert int(flagged) + int(passed) == int(name.rsplit("(", 1)[1].rstrip(")"))
    normals = int(table_rows(tables[0])[0][0].rsplit("(", 1)[1].rstrip(")"))
    assert at.select_slider(key="keep.uses_percentile").value == 95.0
    at95 = flagged_normal(at, lang)
    assert all(abs(n - 0.05 * normals) <= 1 for n in at95), at95  # the top 5 % of the normal digits
    before = image_urls(at)
    at.select_slider(key="keep.uses_percentile").set_value(80.0).run()
    assert_clean(at)
    at80 = flagged_normal(at, lang)
    assert all(abs(n - 0.2 * normals) <= 1 for n in at80), at80
    assert at.query_params["uses_percentile"] == "80.0"
    flagged = t("uses.flagged_title", lang=lang, count=at80[0])
    assert f"**{flagged}**" in markdown(at)
    at.select_slider(key="keep.uses_percentile").set_value(99.5).run()  # a few false alarms: fewer than a row
    assert_clean(at)
    assert all(n <= 0.005 * normals + 1 for n in flagged_normal(at, lang))
    assert set(image_urls(at)) != set(before)  # the false alarms shown follow the threshold


def test_a_link_sets_the_threshold_and_the_vae_score(lessons: Path) -> None:
    at = open_app("uses")
    at.query_params["uses_percentile"] = "90"
    at.query_params["uses_vae_score"] = "recon"
    at.run()
    assert_clean(at)
    assert at.select_slider(key="keep.uses_percentile").value == 90.0
    assert at.radio(key="keep.uses_vae_score").value == "recon"
    recon = figures(at)[2]["data"]  # the VAE's histograms
    at.radio(key="keep.uses_vae_score").set_value("elbo").run()
    assert_clean(at)
    assert figures(at)[2]["data"] != recon  # the −ELBO's scores
    assert at.query_params["uses_vae_score"] == "elbo"


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_missing_lesson_models_are_named_and_the_rest_works(checkpoints: Path, lang: str) -> None:
    for name in [*DENOISING_PAIR.values(), *ANOMALY_PAIR.values()]:
        (checkpoints / name).unlink(missing_ok=True)
    at = open_app("uses", lang=lang)
    assert_no_exception(at)
    assert not at.error
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2
    assert all(name in warnings[0] for name in DENOISING_PAIR.values())
    assert all(name in warnings[1] for name in ANOMALY_PAIR.values())
    titles = [t("uses.row.plain", lang=lang, model=m) for m in ("AE", "VAE")]
    assert sum(any(m.startswith(f"**{title}**") for m in markdown(at)) for title in titles) == 2  # the plain pair
    assert not at.get("plotly_chart")


def test_a_broken_lesson_model_is_reported_by_name(lessons: Path) -> None:
    (lessons / ANOMALY_PAIR["vae"]).write_bytes(b"not a checkpoint" * 20)
    at = open_app("uses")
    assert_no_exception(at)
    assert any(ANOMALY_PAIR["vae"] in e.value for e in at.error)
    assert len(counts_tables(at)) == 1  # the AE still scores
    assert len(at.get("plotly_chart")) == 2  # its ROC curve and its histogram


def test_the_page_uses_its_lesson_models_not_the_sidebar_picker(lessons: Path) -> None:
    at = open_app("uses")
    assert all(box.key != "keep.pick_pair" for box in at.sidebar.selectbox)
    assert all((lessons / name).exists() for name in PLAIN_OF_DENOISING.values())

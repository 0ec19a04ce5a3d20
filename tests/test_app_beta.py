"""The β page: the β ladder's VAEs side by side with their KL per dimension and active units, the
same reconstructions, traversals and prior samples; a missing or broken ladder file said clearly;
its controls kept in the URL; and the Train page's ways to it."""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from tests.app_testing import (
    assert_clean,
    assert_no_exception,
    copy_checkpoints,
    image_urls,
    open_app,
    open_link,
    wait_until,
)
from tests.shipped_copies import SHIPPED
from ui.figures import INACTIVE_COLOR, MODEL_COLORS, kl_bars
from ui.paths import CHECKPOINTS_ENV
from ui.texts import t
from vae_core import Evaluation, evaluate, load_checkpoint, load_dataset, save_checkpoint
from vae_core.evaluation import ACTIVE_UNIT_NATS, collapsed_dimensions
from vae_core.shipped import BETA_LADDER

BASE = BETA_LADDER[1.0]  # the shipped 16-D MLP VAE: β = 1 of the ladder


KEPT = {4.0: 6, 16.0: 1}  # latent dimensions left working in the test's stand-ins for β = 4 and 16


@pytest.fixture(scope="module")
def stand_in_ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stand-ins for the β = 4 and 16 files, made in a second whatever checkpoints/ holds yet: the
    shipped β = 1 VAE with all but its KEPT most informative latent dimensions switched off (μ = 0
    and log σ² = 0 whatever the image: KL exactly 0), recorded as trained with that β. Training real
    ones would take minutes on a busy machine; the page's sums are what is tested here."""
    folder = tmp_path_factory.mktemp("ladder")
    model, info = load_checkpoint(SHIPPED / BASE)
    kl = evaluate(model, load_dataset("mnist").val_images).kl_per_dim
    for beta, kept in KEPT.items():
        stand_in, _ = load_checkpoint(SHIPPED / BASE)
        off = np.argsort(-kl)[kept:]
        with torch.no_grad():
            for layer in (stand_in.to_mu, stand_in.to_logvar):
                layer.weight[off] = 0.0
                layer.bias[off] = 0.0
        settings = {**info.train_settings, "beta": beta}
        save_checkpoint(folder / BETA_LADDER[beta], stand_in, replace(info, train_settings=settings))
    return folder


@pytest.fixture
def ladder(tmp_path: Path, stand_in_ladder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private checkpoints folder with the whole ladder, which the app reads instead of the real one."""
    folder = copy_checkpoints(tmp_path)
    for path in stand_in_ladder.glob("*.pt"):
        shutil.copy2(path, folder / path.name)
    monkeypatch.setenv(CHECKPOINTS_ENV, str(folder))
    return folder


def reference_figures(folder: Path) -> dict[float, Evaluation]:
    """Each ladder file's validation figures, measured here without the app."""
    images = load_dataset("mnist").val_images
    return {beta: evaluate(load_checkpoint(folder / name)[0], images) for beta, name in BETA_LADDER.items()}


def plotly_array(value: list[float] | dict[str, str]) -> np.ndarray:
    """A numeric array of a chart's JSON: a list, or plotly's {"dtype", "bdata": base64} encoding."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(float)
    return np.asarray(value, dtype=float)


def headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_each_beta_is_shown_with_its_active_units_and_figures(ladder: Path, lang: str) -> None:
    at = open_app("beta", lang=lang)
    assert_clean(at)
    assert at.title[0].value == t("beta.title", lang=lang)
    assert headings(at) == ["β = 1", "β = 4", "β = 16"]
    expected = reference_figures(ladder)
    of = {"en": "of", "pt": "de"}[lang]
    assert [m.value for m in at.metric] == [f"{e.active_units} {of} 16" for e in expected.values()]
    assert [m.label for m in at.metric] == [t("beta.active", lang=lang)] * 3
    tables = [m.value for m in at.markdown if m.value.startswith("| ")]
    assert len(tables) == 3
    for table, e in zip(tables, expected.values(), strict=True):
        row = [cell.strip() for cell in table.splitlines()[-1].strip("|").split("|")]
        numbers = [float(cell.replace("−", "-").replace(",", ".")) for cell in row]
        assert numbers == pytest.approx([e.recon, e.kl, e.elbo], abs=0.051)
        if lang == "pt":
            assert all("," in cell and "." not in cell for cell in row)  # decimal commas
    assert len(at.get("plotly_chart")) == 3  # the KL bars
    assert len(at.image) == 9  # reconstructions, traversal and prior samples, per β
    assert [e.active_units for e in expected.values()][1:] == list(KEPT.values())  # the stand-ins as made


def test_the_bars_are_the_kl_of_each_dimension_sorted_with_the_switched_off_in_grey(ladder: Path) -> None:
    at = open_app("beta")
    expected = reference_figures(ladder)

    for chart, e in zip(at.get("plotly_chart"), expected.values(), strict=True):
        figure = json.loads(chart.proto.spec)
        [bars] = figure["data"]
        shown = plotly_array(bars["x"])
        np.testing.assert_allclose(shown, np.sort(e.kl_per_dim)[::-1], rtol=1e-6)
        assert bars["y"] == [f"z{d + 1}" for d in np.argsort(-e.kl_per_dim, kind="stable")]
        grey = [c == INACTIVE_COLOR for c in bars["marker"]["color"]]
        assert sum(not g for g in grey) == e.active_units
        # the grey bars are the dimensions that vae_core names as collapsed (the Train page's warning)
        named = sorted(int(label[1:]) - 1 for label, g in zip(bars["y"], grey, strict=True) if g)
        assert named == collapsed_dimensions(e.kl_per_dim)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_missing_ladder_file_is_said_clearly_and_the_rest_is_shown(ladder: Path, lang: str) -> None:
    missing = BETA_LADDER[16.0]
    (ladder / missing).unlink()
    at = open_app("beta", lang=lang)
    assert_clean(at)
    assert headings(at) == ["β = 1", "β = 4", "β = 16"]
    [warning] = [w.value for w in at.warning if missing in w.value]
    assert "β = 16" in warning and "python -m vae_core.pretrain --only mnist-vae-mlp-16d-beta16" in warning
    assert warning.startswith({"en": "The VAE for β = 16 is missing", "pt": "Falta o VAE de β = 16"}[lang])
    assert len(at.metric) == 2 and len(at.get("plotly_chart")) == 2 and len(at.image) == 6


def test_a_broken_ladder_file_is_named_in_an_error(ladder: Path) -> None:
    (ladder / BETA_LADDER[4.0]).write_bytes(b"not a checkpoint" * 20)
    at = open_app("beta")
    assert_no_exception(at)
    [error] = [e.value for e in at.error]
    assert "β = 4" in error and BETA_LADDER[4.0] in error
    assert len(at.metric) == 2


def test_without_any_ladder_file_the_page_says_so(ladder: Path) -> None:
    for name in BETA_LADDER.values():
        (ladder / name).unlink()
    at = open_app("beta")
    assert_clean(at)
    assert len(at.warning) == 4 and t("beta.none") in [w.value for w in at.warning]
    assert not at.image and not at.get("plotly_chart")


def caption_of_rows(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Rows,")]


def test_controls_change_the_view_and_are_kept_in_the_link(ladder: Path) -> None:
    at = open_app("beta")
    before = image_urls(at)
    assert all(caption.count("nats)") == 5 for caption in caption_of_rows(at))  # five rows by default
    at.slider(key="keep.beta_rows").set_value(2).run()
    assert_clean(at)
    assert all(caption.count("nats)") == 2 for caption in caption_of_rows(at))
    traversals = image_urls(at)
    assert traversals[1] != before[1] and traversals[0] == before[0]  # the traversal changed, not the images
    at.selectbox(key="keep.beta_start").set_value(3).run()
    assert all("image 4" in caption for caption in caption_of_rows(at))
    at.button(key="beta_other_images").click().run()
    assert_clean(at)
    after = image_urls(at)
    assert after[0] != traversals[0] and after[2] != traversals[2]  # new images, new prior samples
    link = {name: at.query_params[name] for name in ("beta_rows", "beta_start", "beta_seed")}
    assert link == {"beta_rows": "2", "beta_start": "3", "beta_seed": "1"}


def test_a_link_opens_the_page_on_its_view(ladder: Path) -> None:
    at = open_link("beta", beta_rows="3", beta_start="2", beta_seed="7", lang="pt")
    assert_clean(at)
    assert at.slider(key="keep.beta_rows").value == 3
    assert at.selectbox(key="keep.beta_start").value == 2
    assert at.session_state["keep.beta_seed"] == 7
    rows = [c.value for c in at.caption if c.value.startswith("Linhas,")]
    assert len(rows) == 3 and all(c.count("nats)") == 3 and "imagem 3" in c for c in rows)


def test_kl_bars_sorts_colours_and_draws_the_threshold() -> None:
    kl = np.array([0.001, 2.0, 0.02, 0.005, 1.0])
    figure = kl_bars(kl, threshold=ACTIVE_UNIT_NATS, x_range=(1e-4, 10), x_title="KL", hover="{dim}: {kl}")
    [bars] = figure.data
    assert list(bars.y) == ["z2", "z5", "z3", "z4", "z1"]
    np.testing.assert_array_equal(bars.x, [2.0, 1.0, 0.02, 0.005, 0.001])
    assert list(bars.marker.color) == [MODEL_COLORS["vae"]] * 3 + [INACTIVE_COLOR] * 2
    [line] = figure.layout.shapes
    assert line.x0 == line.x1 == ACTIVE_UNIT_NATS
    # a grid line at every power of ten, labelled at every other one, the threshold's included
    assert list(figure.layout.xaxis.tickvals) == pytest.approx([1e-4, 1e-3, 1e-2, 0.1, 1, 10])
    assert list(figure.layout.xaxis.ticktext) == ["0.0001", "", "0.01", "", "1", ""]
    portuguese = kl_bars(kl, threshold=0.01, x_range=(1e-4, 10), x_title="KL", hover="", separators=",.")
    assert list(portuguese.layout.xaxis.ticktext) == ["0,0001", "", "0,01", "", "1", ""]


def test_the_train_page_points_to_the_beta_page(checkpoints: Path) -> None:
    at = open_app("train")
    assert "[β and posterior collapse](beta)" in at.select_slider(key="keep.train_beta").help
    # a collapsed VAE's warning comes with a link to the page
    at.selectbox(key="keep.train_dataset").set_value("digits").run()
    at.number_input(key="keep.train_epochs").set_value(1).run()
    at.radio(key="keep.train_models").set_value("vae").run()
    at.select_slider(key="keep.train_beta").set_value(10.0).run()
    at.button(key="train_start").click().run()
    wait_until(
        at, lambda a: "training_run" in a.session_state and a.session_state["training_run"].registered, timeout=400
    )
    assert any("posterior collapse" in w.value for w in at.warning)
    links = [link for link in at.main.get("page_link") if link.label == t("beta.from_train")]
    assert len(links) == 1 and links[0].proto.page == "beta"  # its URL path


def test_the_shipped_ladder_shows_what_the_page_says() -> None:
    """On the shipped files, as β grows: the reconstruction error grows, the KL shrinks, fewer
    dimensions stay active, and at β = 16 all but a few have collapsed (the page's own words)."""
    figures = reference_figures(SHIPPED)
    recon, kl, units = ([getattr(e, name) for e in figures.values()] for name in ("recon", "kl", "active_units"))
    assert recon == sorted(recon) and kl == sorted(kl, reverse=True)
    assert units == sorted(units, reverse=True) and units[0] > units[1] > units[2]
    assert units[-1] <= 4  # most of the 16 dimensions switched off

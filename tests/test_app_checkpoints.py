"""Bad checkpoint files are reported on the page by name and never break the other models or pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_testing import MODEL_PAGES, assert_no_exception, go_to, image_urls, open_app
from ui.paths import CHECKPOINTS_ENV


def error_texts(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_corrupt_file_is_named_on_every_page_and_the_rest_works(checkpoints: Path) -> None:
    (checkpoints / "broken.pt").write_bytes(b"this is not a checkpoint" * 10)
    at = open_app("latent_grid")
    for page in MODEL_PAGES:
        go_to(at, page)
        assert_no_exception(at)
        assert any("broken.pt" in text for text in error_texts(at)), page
        assert at.image or at.get("plotly_chart"), f"{page} shows nothing"
    assert len(image_urls(go_to(at, "latent_grid"))) == 2  # both shipped models still decode


def test_a_truncated_copy_of_a_real_checkpoint_is_reported(checkpoints: Path) -> None:
    data = (checkpoints / "mnist-vae-mlp-2d.pt").read_bytes()
    (checkpoints / "half-written.pt").write_bytes(data[: len(data) // 2])
    at = open_app("latent_sliders")
    assert_no_exception(at)
    assert any("half-written.pt" in text for text in error_texts(at))
    assert at.slider


def test_a_pair_with_a_missing_member_shows_what_exists(checkpoints: Path) -> None:
    (checkpoints / "mnist-ae-mlp-2d.pt").unlink()
    at = open_app("latent_grid")
    assert_no_exception(at)
    assert not at.error
    assert len(image_urls(at)) == 1  # the VAE alone
    assert any("AE" in w.value for w in at.warning)  # the picker says the AE is missing
    for page in ("latent_sliders", "interpolation", "ae_vs_vae", "uses"):
        go_to(at, page)
        assert_no_exception(at)
        assert not at.error, page


def test_an_empty_checkpoint_folder_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHECKPOINTS_ENV, str(tmp_path))
    at = open_app("latent_grid")
    assert_no_exception(at)
    assert at.warning and "Train" in at.warning[0].value

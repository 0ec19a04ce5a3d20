"""Bad checkpoint files are reported on the page by name and never break the other models or pages."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.app_testing import MODEL_PAGES, assert_no_exception, go_to, image_urls, open_app
from ui.paths import CHECKPOINTS_ENV
from vae_core import load_checkpoint, save_checkpoint


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
    assert at.select_slider


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


def test_a_file_name_that_is_not_utf8_breaks_nothing(checkpoints: Path) -> None:
    """Linux allows any bytes in a file name; Python hands them over as surrogates, which Streamlit
    can neither hash nor send to the browser."""
    odd = os.fsdecode(b"caf\xe9")
    shutil.copy2(checkpoints / "mnist-ae-mlp-2d.pt", checkpoints / f"{odd}.pt")
    (checkpoints / f"{odd}-broken.pt").write_bytes(b"damaged")
    trained = checkpoints / "trained"
    trained.mkdir()
    shutil.copy2(checkpoints / "digits-vae-mlp-2d.pt", trained / f"{odd}-vae.pt")
    at = open_app("latent_grid")
    assert_no_exception(at)
    assert len(image_urls(at)) == 2
    assert any("caf\N{REPLACEMENT CHARACTER}-broken.pt" in text for text in error_texts(at))
    at.checkbox(key="keep.pick_others").check().run()  # other users' models, the odd one among them
    assert_no_exception(at)
    at.selectbox(key="keep.pick_dataset").set_value("digits").run()
    pairs = at.selectbox(key="keep.pick_pair")
    others = [option for option in pairs.options if option.startswith("Another user")]
    assert others
    pairs.select_index(pairs.options.index(others[0])).run()
    assert_no_exception(at)
    assert any("caf\N{REPLACEMENT CHARACTER}-vae.pt" in text.value for text in at.sidebar.text)
    at.checkbox(key="keep.pick_others").uncheck().run()
    assert_no_exception(at)


LINK = "[Session expired - log in again](https:evil.example)"
IMAGE = "![logo](https:evil.example?pixel.png)"


def unescaped(markdown: str, fragment: str) -> bool:
    """Whether markdown would render `fragment` as a link or an image (its brackets unescaped)."""
    start = fragment.index("[")
    return re.search(r"(?<!\\)" + re.escape(fragment[start:]).replace(r"\(", r"(?<!\\)\("), markdown) is not None


def test_file_names_and_fields_are_shown_as_plain_text(checkpoints: Path) -> None:
    (checkpoints / f"a` {LINK} `b.pt").write_bytes(b"damaged")
    (checkpoints / f"{IMAGE}.pt").write_bytes(b"damaged")
    model, info = load_checkpoint(checkpoints / "mnist-vae-mlp-2d.pt")
    info.dataset = LINK  # a data set this app does not know, named by whoever wrote the file
    save_checkpoint(checkpoints / "odd-dataset.pt", model, info)
    at = open_app("latent_grid")
    assert_no_exception(at)
    shown = error_texts(at)
    assert any("Session expired" in text for text in shown) and any("logo" in text for text in shown)
    for text in shown:
        assert not unescaped(text, LINK) and not unescaped(text, IMAGE), text
    at.selectbox(key="keep.pick_dataset").set_value(LINK).run()  # its pages say the data set is unknown
    assert_no_exception(at)
    assert any("Session expired" in text for text in error_texts(at))
    assert not any(unescaped(text, LINK) for text in error_texts(at))


def test_temporary_files_left_by_killed_saves_are_swept_when_the_app_starts(checkpoints: Path) -> None:
    trained = checkpoints / "trained"
    trained.mkdir()
    stale, fresh = trained / ".mnist-vae.pt.ab12cd34.tmp", trained / ".mnist-ae.pt.ef56gh78.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"half a checkpoint")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    assert_no_exception(open_app("latent_grid"))
    assert not stale.exists()
    assert fresh.exists()  # maybe a save in progress in another process

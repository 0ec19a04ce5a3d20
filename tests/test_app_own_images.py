"""The "Your images" page: an upload is read and summed up (count, sizes, classes, what was left out),
bad files are named in a message, a kept set is trained on from the Train page, and every page that
shows models works on the pair trained on it; another browser never sees the set or its models,
unless given the set's link."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.app_testing import MODEL_PAGES, assert_clean, assert_no_exception, go_to, image_urls, open_app, wait_until
from ui.own_images import SHARE_PARAM
from ui.texts import CATALOGUES, dataset_label, plain, t
from vae_core.data import imports_dir, is_imported, load_dataset
from vae_core.image_import import PROBLEM_CODES, ImportProblem, read_images

CLASSES = (1, 4, 7)
PER_CLASS = 12


def digits_zip(*, paper: bool = True) -> bytes:
    """Real MNIST digits as PNGs in class folders, dark ink on light paper as a scan would have them."""
    data = load_dataset("mnist")
    images, labels = data.train_images.numpy()[:, 0], data.train_labels.numpy()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for c in CLASSES:
            for i, index in enumerate(np.flatnonzero(labels == c)[:PER_CLASS]):
                pixels = (255 * images[index]).astype(np.uint8)
                png = io.BytesIO()
                Image.fromarray(255 - pixels if paper else pixels).save(png, format="PNG")
                archive.writestr(f"my digits/{c}/{i:02d}.png", png.getvalue())
        archive.writestr("my digits/readme.txt", b"written by hand")
    return buffer.getvalue()


def upload(at, name: str, content: bytes):
    at.file_uploader(key="own_images_file").set_value((name, content, "application/octet-stream")).run()
    return at


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_zip_in_class_folders_is_read_and_summed_up(lang: str) -> None:
    at = upload(open_app("own_images", lang=lang), "my digits.zip", digits_zip())
    assert_clean(at)
    text = markdown_text(at)
    assert t("own_images.read", lang=lang, count=str(len(CLASSES) * PER_CLASS), title="my digits", side="28×28") in text
    assert t("own_images.classes", lang=lang, count=3, classes="1, 4, 7") in text
    assert t("own_images.inverted", lang=lang) in text  # dark ink on light paper was turned around
    assert "readme.txt" in text  # what was left out, named
    assert len(at.image) == 1  # the preview
    assert at.button(key="own_images_keep")


CONTENT_OF = {
    "corrupt_zip": ("broken.zip", b"PK\x03\x04 this is not a zip"),
    "unknown_format": ("notes.txt", b"hello"),
    "bad_csv": ("pixels.csv", b"1,2,3\n4,5,6\n"),
}


@pytest.mark.parametrize(("name", "content", "code"), [(*v, k) for k, v in CONTENT_OF.items()])
def test_a_bad_file_is_a_message_that_names_the_problem(name: str, content: bytes, code: str) -> None:
    before = sorted(imports_dir().glob("*"))
    for lang in ("en", "pt"):
        at = upload(open_app("own_images", lang=lang), name, content)
        assert_no_exception(at)
        assert [e.value for e in at.error] == [problem_message(at, code)]
        assert not [b for b in at.button if b.key == "own_images_keep"]  # nothing to keep
    assert sorted(imports_dir().glob("*")) == before  # nothing written


def problem_message(at, code: str) -> str:
    """The page's message, checked to be the catalogue's text for the problem the engine names."""
    with pytest.raises(ImportProblem) as caught:
        read_images(CONTENT_OF[code][1], CONTENT_OF[code][0])
    assert caught.value.code == code
    message = at.error[0].value
    text = CATALOGUES[at.session_state["keep.lang"]].texts[f"own_images.problem.{code}"]
    assert message.startswith((text if isinstance(text, str) else text["other"]).split("{")[0])
    return message


def test_every_problem_has_its_text_in_both_languages() -> None:
    for catalogue in CATALOGUES.values():
        missing = [code for code in PROBLEM_CODES if f"own_images.problem.{code}" not in catalogue.texts]
        assert not missing, (catalogue.locale, missing)


def test_a_kept_set_trains_a_pair_that_every_page_shows_and_others_never_see(checkpoints: Path) -> None:
    at = upload(open_app("own_images"), "my digits.zip", digits_zip())
    at.button(key="own_images_keep").click().run()
    assert_clean(at)
    assert at.title[0].value == t("train.title", lang="en")
    go_to(at, "train")  # AppTest reruns the page it opened unless told to go elsewhere
    dataset = at.session_state["keep.train_dataset"]
    assert is_imported(dataset)
    assert (imports_dir() / f"{dataset.removeprefix('imported-')}.npz").is_file()
    box = at.selectbox(key="keep.train_dataset")
    assert box.value == dataset and dataset_label(dataset) in box.options
    assert "my digits" in dataset_label(dataset)

    at.number_input(key="keep.train_epochs").set_value(2).run()
    at.button(key="train_start").click().run()
    assert_no_exception(at)
    wait_until(at, lambda a: "training_run" in a.session_state and a.session_state["training_run"].registered)
    assert_clean(at)
    at.button(key="train_explore").click().run()
    assert_clean(at)
    go_to(at, "latent_grid")
    assert at.selectbox(key="keep.pick_dataset").value == dataset
    for page in [*MODEL_PAGES, "uses"]:
        go_to(at, page)
        assert_clean(at)
        if page in MODEL_PAGES:
            assert at.selectbox(key="keep.pick_dataset").value == dataset, page
            assert image_urls(at) or page == "draw", page  # the Draw page waits for a drawing

    other = open_app("train")
    assert dataset_label(dataset) not in other.selectbox(key="keep.train_dataset").options
    other = open_app("latent_grid")
    other.checkbox(key="keep.pick_others").check().run()
    assert_clean(other)
    assert dataset_label(dataset) not in other.selectbox(key="keep.pick_dataset").options


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_set_shared_by_its_link_joins_another_browsers_sets_and_a_wrong_link_is_named(lang: str) -> None:
    owner = upload(open_app("own_images", lang=lang), "my digits.zip", digits_zip())
    owner.button(key="own_images_keep").click().run()
    dataset = owner.session_state["keep.train_dataset"]
    go_to(owner, "own_images")
    assert_clean(owner)
    links = [c.value for c in owner.code]
    assert len(links) == 1 and links[0].endswith(f"own_images?{SHARE_PARAM}={dataset}"), links

    friend = open_app("own_images", lang=lang)
    friend.query_params[SHARE_PARAM] = dataset
    friend.run()
    assert_clean(friend)
    assert [s.value for s in friend.success] == [t("own_images.share_received", lang=lang, title=plain("my digits"))]
    assert SHARE_PARAM not in friend.query_params  # a reload does not add it again
    go_to(friend, "train")
    assert any("my digits" in o for o in friend.selectbox(key="keep.train_dataset").options)  # theirs to train on now
    stranger = open_app("train", lang=lang)
    assert not any("my digits" in o for o in stranger.selectbox(key="keep.train_dataset").options)

    for wrong in ("imported-0123456789abcdef", "../../etc/passwd", "mnist"):
        misled = open_app("own_images", lang=lang)
        misled.query_params[SHARE_PARAM] = wrong
        misled.run()
        assert_no_exception(misled)
        assert [e.value for e in misled.error] == [t("own_images.share_unknown", lang=lang, name=plain(wrong))]
        assert not misled.get("code")  # nothing was added to this browser's sets

"""A user's own images: reading an upload (vae_core.image_import), what it found, and the image sets
this browser kept, which the Train page offers beside the shipped data sets.

A kept set belongs to the browser that uploaded it: its name (a digest of its content) is listed in
that browser's memory only, and models trained on it are that browser's models. Its owner may share
it by a link (`own_images?share=<name>`, 64 bits of digest: not guessable): whoever opens the link
gets the set among their own data sets, to train their own models on; the models stay each one's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from .browser import memory
from .images import picture_url, row_length
from .presenter import app_root
from .texts import class_label, number, plain, printable, t

if TYPE_CHECKING:
    from vae_core.image_import import ImportedImages, ImportProblem

SHARE_PARAM = "share"  # own_images?share=<name>: a kept set's link
READ_KEY = "own_images_read"  # session state: the last upload read, by file id and options
TITLE_SIGNS = 40  # of the file's name kept as the set's title
PREVIEW_PER_CLASS, PREVIEW_UNLABELLED = 10, 40


@dataclass(frozen=True)
class ReadUpload:
    """What one upload gave with one set of options: images or the problem that stopped them."""

    key: tuple[str, int | None, str]
    title: str
    imported: ImportedImages | None
    problem: ImportProblem | None


def title_of(file_name: str) -> str:
    """The file's name without its folders or extension, in signs that no message can misread."""
    stem = PurePosixPath(file_name.replace("\\", "/")).stem
    kept = "".join(c if c.isalnum() or c in " .-" else "-" for c in printable(stem)).strip(" .-")
    return kept[:TITLE_SIGNS] or "images"


def read_upload(uploaded, side: int | None, invert: str) -> ReadUpload:
    """The upload read once per file and options (kept in this session only: it is this user's data)."""
    from vae_core.image_import import ImportProblem, read_images  # noqa: PLC0415 - loads with this page only

    key = (uploaded.file_id, side, invert)
    known = st.session_state.get(READ_KEY)
    if isinstance(known, ReadUpload) and known.key == key:
        return known
    title = title_of(uploaded.name)
    try:
        read = ReadUpload(key, title, read_images(uploaded.getvalue(), uploaded.name, side=side, invert=invert), None)
    except ImportProblem as problem:
        read = ReadUpload(key, title, None, problem)
    st.session_state[READ_KEY] = read
    return read


def _shown(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return plain(str(value))
    return number(value, ",d") if isinstance(value, int) else number(value, ",.1f")


def problem_text(problem: ImportProblem) -> str:
    """An import problem in the user's language, the values from the file shown as plain text."""
    details = dict(problem.details)
    if problem.code == "too_large":  # bytes, said in megabytes
        details = {**details, "size": round(details["size"] / 2**20, 1), "limit": round(details["limit"] / 2**20)}
    values = {name: _shown(value) for name, value in details.items()}
    if problem.code == "bad_csv":
        values["reason"] = t(f"own_images.csv_reason.{problem.details['reason']}", **values)
    return t(f"own_images.problem.{problem.code}", **values)


def summary_lines(imported: ImportedImages, title: str) -> list[str]:
    """What was read: how many, at what size (and from which), the classes, what was left out."""
    n, h, w = imported.images.shape
    lines = [t("own_images.read", count=number(n, ",d"), title=title, side=f"{h}×{w}")]
    found = sorted(imported.sizes_found.items(), key=lambda item: -item[1])
    sizes = ", ".join(f"{a}×{b} ({number(c)})" for (a, b), c in found[:4])
    if len(found) > 4:
        sizes += ", …"
    lines.append(t("own_images.sizes_resized" if imported.resized else "own_images.sizes_kept", sizes=sizes))
    if imported.labels is not None:
        classes = ", ".join(plain(class_label(c)) for c in imported.class_names)
        lines.append(t("own_images.classes", count=len(imported.class_names), classes=classes))
    else:
        lines.append(t("own_images.unlabelled"))
    if imported.inverted:
        lines.append(t("own_images.inverted"))
    for note in imported.notes:
        lines.append(t(f"own_images.note.{note}"))
    if imported.skipped:
        shown = ", ".join(plain(name) for name in imported.skipped[:5])
        lines.append(t("own_images.skipped", count=len(imported.skipped), names=shown))
    return lines


def preview_url(imported: ImportedImages) -> str:
    """A few images of each class (a row each), or the first ones of an unlabelled set."""
    images = imported.images
    if imported.labels is None:
        chosen = images[:PREVIEW_UNLABELLED]
        per_row = row_length(len(chosen), 10)
    else:
        rows = [images[imported.labels == c][:PREVIEW_PER_CLASS] for c in range(len(imported.class_names))]
        per_row = max(len(r) for r in rows)
        pad = lambda r: np.concatenate([r, np.zeros((per_row - len(r), *r.shape[1:]), r.dtype)])
        chosen = np.concatenate([pad(r) for r in rows])
    as_float = (chosen.astype(np.float32) / 255.0)[:, None]  # (N, 1, H, W)
    return picture_url(as_float, per_row=per_row, padding=1)


def kept_sets() -> dict[str, str]:
    """Data-set name → title of every image set this browser kept."""
    return dict(memory().datasets)


def keep(read: ReadUpload) -> str:
    """Keep the images on the server and list them as this browser's; returns the data-set name."""
    from vae_core.data import keep_imported  # noqa: PLC0415

    name = keep_imported(read.imported, read.title)
    memory().datasets[name] = read.title
    return name


def share_link(name: str) -> str:
    """The link that gives this set to whoever opens it (on this server)."""
    return f"{app_root(st.context.url or '')}own_images?{SHARE_PARAM}={name}"


def receive_shared() -> None:
    """A shared set's link opened: the set joins this browser's sets and the link's parameter goes;
    a name that is no set on this server is said, and nothing is added."""
    from vae_core.data import imported_exists, imported_title  # noqa: PLC0415

    name = st.query_params.get(SHARE_PARAM)
    if name is None:
        return
    del st.query_params[SHARE_PARAM]  # a reload does not add it again
    if not imported_exists(name):
        st.error(t("own_images.share_unknown", name=plain(name[:80])))
        return
    title = imported_title(name) or name
    memory().datasets.setdefault(name, title)
    st.success(t("own_images.share_received", title=plain(title)))


def training_datasets() -> list[str]:
    """The Train page's data sets: the registered ones, then this browser's own image sets."""
    from vae_core import DATASETS  # noqa: PLC0415 - the Train page loads torch anyway

    return [*DATASETS, *kept_sets()]

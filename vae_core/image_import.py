"""A user's own images, read safely: a zip of PNG/JPEG files (optionally in folders named by class), an
.npz of arrays or a CSV of pixels, made grey, light ink on dark (MNIST's convention) and one size.

Everything is read in memory, never unpacked to disk, and every way a file can be wrong (corrupt, a
zip bomb, a path that climbs out of its folder, too many or too few images) is an `ImportProblem`
whose `code` the app translates, with the values that name the problem in `details`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, UnidentifiedImageError

SIDE = 28  # images are made this size unless kept at their own
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
JUNK = ("__MACOSX/", "Thumbs.db", "desktop.ini")
MAX_SKIPPED_NAMES = 20
BOMB_MIN_BYTES = 1 << 20  # a ratio test on tiny members would refuse a blank PNG

PROBLEM_MESSAGES = {
    "unknown_format": "'{name}' is not a .zip, .npz or .csv file ({allowed} are read)",
    "too_large": "'{name}' is {size} bytes, more than the {limit} bytes allowed",
    "corrupt_zip": "'{name}' is not a readable zip archive",
    "encrypted": "'{member}' in '{name}' is encrypted: zip it again without a password",
    "unsafe_path": "'{member}' in '{name}' has a path that leaves the archive's folder",
    "zip_bomb": "'{member}' in '{name}' unpacks to far more than its size (a zip bomb?): refused",
    "image_too_large": "'{member}' in '{name}' has {pixels} pixels, more than the {limit} allowed for one image",
    "too_many": "'{name}' holds {count} images, more than the {limit} allowed",
    "too_few": "'{name}' holds {count} images: at least {minimum} are needed to train and validate",
    "no_images": "'{name}' holds no image that could be read (PNG or JPEG)",
    "corrupt_npz": "'{name}' is not a readable .npz file of plain arrays",
    "no_images_array": "'{name}' has no array named 'images' (arrays found: {arrays})",
    "bad_shape": "the images in '{name}' have shape {shape}: expected N × H × W, N × H × W × C or N × C × H × W",
    "label_count": "'{name}' has {count} images but {labels} labels",
    "bad_values": "the pixels in '{name}' are not all numbers from 0 to 255 (or 0 to 1)",
    "bad_csv": "row {row} of '{name}' {why}",
    "mixed_sizes": "the images in '{name}' have different sizes ({first} and {second}): choose to fit them to one size",
    "too_big_to_keep": "the images in '{name}' are {size}: to keep their size they can be at most {limit} × {limit}",
    "all_blank": "every image in '{name}' is blank (a single colour)",
}
PROBLEM_CODES = tuple(PROBLEM_MESSAGES)
CSV_REASONS = {  # bad_csv's `reason`, with `columns` and `width` where they apply
    "not_text": "is not text separated by commas",
    "not_square": "has {columns} pixel columns, not a square number (784 for 28 × 28)",
    "ragged": "has {columns} columns where the first row has {width}",
    "not_number": "has a cell that is not a number",
}
NOTE_CODES = ("one_class", "mixed_sizes")


class ImportProblem(ValueError):
    """Bad input, named: `code` says which problem (the app translates it), `details` fill its message."""

    def __init__(self, code: str, **details: object) -> None:
        self.code, self.details = code, details
        why = CSV_REASONS[str(details["reason"])].format(**details) if code == "bad_csv" else ""
        super().__init__(PROBLEM_MESSAGES[code].format(why=why, **details))


@dataclass(frozen=True)
class ImportLimits:
    max_upload_bytes: int = 50 * 1024 * 1024
    max_images: int = 20_000
    max_unpacked_bytes: int = 400 * 1024 * 1024  # a zip's members, uncompressed, together
    max_ratio: float = 200.0  # a member's uncompressed / compressed size above this (and 1 MB): a bomb
    max_pixels: int = 4096 * 4096  # one decoded image
    min_images: int = 20  # fewer cannot be split into training and validation images
    max_side_kept: int = 64  # "keep their size" up to this side


@dataclass(frozen=True)
class ImportedImages:
    images: np.ndarray  # (N, H, W) uint8: 0 background, 255 ink
    labels: np.ndarray | None  # (N,) int64 into class_names, None when unlabelled
    class_names: tuple[str, ...]  # () when unlabelled
    source: str  # "zip", "npz" or "csv"
    sizes_found: dict[tuple[int, int], int]  # (H, W) before resizing → how many images had it
    resized: bool
    inverted: bool  # dark ink on light paper was turned into light ink on dark
    skipped: tuple[str, ...] = ()  # zip members that were not images or could not be decoded
    notes: tuple[str, ...] = ()  # NOTE_CODES met on the way (warnings, not errors)


# --- one image -----------------------------------------------------------------------------------


def _grey(image: Image.Image) -> np.ndarray:
    """(H, W) float32 in [0, 1] of luminance; a transparent image's ink is where it is opaque when its
    colours say nothing (white or black ink on a transparent sheet), else it lies on white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
        alpha, luminance = rgba[..., 3], np.asarray(image.convert("RGBA").convert("L"), dtype=np.float32) / 255.0
        opaque = alpha > 0.5
        if alpha.min() < 0.5 and (not opaque.any() or np.ptp(luminance[opaque]) < 0.1):
            return alpha  # one colour where opaque: the shape is the alpha itself, light ink on dark
        return luminance * alpha + (1.0 - alpha)  # composited over white paper
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0


def _decode(content: bytes, member: str, name: str, limits: ImportLimits) -> np.ndarray | None:
    """One image file as (H, W) in [0, 1], or None when it is not an image Pillow reads."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > limits.max_pixels:
                    raise ImportProblem(
                        "image_too_large", name=name, member=member, pixels=width * height, limit=limits.max_pixels
                    )
                image.load()
                return _grey(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImportProblem(
            "image_too_large", name=name, member=member, pixels="too many", limit=limits.max_pixels
        ) from None
    except ImportProblem:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return None


# --- zip -----------------------------------------------------------------------------------------


def _unsafe(member: str) -> bool:
    path = member.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in PurePosixPath(path).parts


def _junk(member: str) -> bool:
    parts = PurePosixPath(member).parts
    return any(member.startswith(j) or parts[-1] == j for j in JUNK) or any(p.startswith(".") for p in parts)


def _read_zip(
    data: bytes, name: str, limits: ImportLimits, skipped: list[str]
) -> tuple[list[np.ndarray], list[str] | None]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportProblem("corrupt_zip", name=name) from None
    for m in members:
        if _unsafe(m.filename):
            raise ImportProblem("unsafe_path", name=name, member=m.filename)
    if sum(m.file_size for m in members) > limits.max_unpacked_bytes:
        raise ImportProblem("zip_bomb", name=name, member=max(members, key=lambda m: m.file_size).filename)
    wanted = [m for m in members if not _junk(m.filename)]
    candidates = [m for m in wanted if PurePosixPath(m.filename).suffix.lower() in IMAGE_SUFFIXES]
    if len(candidates) > limits.max_images:
        raise ImportProblem("too_many", name=name, count=len(candidates), limit=limits.max_images)
    skipped.extend(m.filename for m in wanted if m not in candidates)
    images, folders, unpacked = [], [], 0
    for m in candidates:
        if m.flag_bits & 0x1:
            raise ImportProblem("encrypted", name=name, member=m.filename)
        if m.file_size > BOMB_MIN_BYTES and m.file_size > limits.max_ratio * max(1, m.compress_size):
            raise ImportProblem("zip_bomb", name=name, member=m.filename)
        limit = min(m.file_size, limits.max_unpacked_bytes - unpacked)
        try:  # never more than the header says: a member that lies about its size fails its check
            with archive.open(m) as stream:
                content = stream.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            skipped.append(m.filename)  # a damaged member, or a compression this Python lacks
            continue
        if len(content) > limit:
            raise ImportProblem("zip_bomb", name=name, member=m.filename)
        unpacked += len(content)
        grey = _decode(content, m.filename, name, limits)
        if grey is None:
            skipped.append(m.filename)
            continue
        images.append(grey)
        folders.append(PurePosixPath(m.filename).parent.name)
    # Labels come from folders only when every image sits in one (`3/a.png`, `digits/7/b.png`).
    return images, folders if folders and all(folders) else None


# --- npz and csv ---------------------------------------------------------------------------------


def _first_of(arrays: dict[str, np.ndarray], names: tuple[str, ...]) -> np.ndarray | None:
    return next((arrays[n] for n in names if n in arrays), None)


def _as_stack(images: np.ndarray, name: str) -> np.ndarray:
    """Any usual layout of a stack of images as (N, H, W) grey in [0, 1]."""
    if not (np.issubdtype(images.dtype, np.number) or images.dtype == bool) or images.ndim not in (3, 4):
        raise ImportProblem("bad_shape", name=name, shape=" × ".join(map(str, images.shape)) or "()")
    x = images.astype(np.float64)
    if x.ndim == 4:
        if x.shape[-1] in (1, 3, 4):
            x = np.moveaxis(x, -1, 1)
        elif x.shape[1] not in (1, 3, 4):
            raise ImportProblem("bad_shape", name=name, shape=" × ".join(map(str, images.shape)))
        x = x[:, :3].mean(axis=1) if x.shape[1] >= 3 else x[:, 0]
    if x.size == 0 or min(x.shape[1:]) < 2:
        raise ImportProblem("bad_shape", name=name, shape=" × ".join(map(str, images.shape)))
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 255:
        raise ImportProblem("bad_values", name=name)
    return (x / (255.0 if x.max() > 1.0 else 1.0)).astype(np.float32)


def _read_npz(data: bytes, name: str) -> tuple[list[np.ndarray], list[str] | None]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as file:
            arrays = {key: file[key] for key in file.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile):  # ValueError: pickled objects refused
        raise ImportProblem("corrupt_npz", name=name) from None
    images = _first_of(arrays, ("images", "x", "x_train", "X"))
    if images is None and len(arrays) == 1:
        images = next(iter(arrays.values()))
    if images is None:
        raise ImportProblem("no_images_array", name=name, arrays=", ".join(arrays) or "none")
    labels = _first_of(arrays, ("labels", "y", "y_train", "Y"))
    stack = _as_stack(images, name)  # (N, H, W) in [0, 1]
    if labels is not None and (labels.ndim != 1 or len(labels) != len(stack)):
        raise ImportProblem("label_count", name=name, count=len(stack), labels=int(labels.size))
    names = arrays.get("class_names")
    if labels is not None and names is not None and np.issubdtype(labels.dtype, np.integer) and names.ndim == 1:
        if labels.min() >= 0 and labels.max() < len(names):
            labels = names[labels]
    return list(stack), None if labels is None else [str(v) for v in labels.tolist()]


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _square(n: int) -> bool:
    return n >= 4 and int(round(n**0.5)) ** 2 == n


def _read_csv(data: bytes, name: str) -> tuple[list[np.ndarray], list[str] | None]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise ImportProblem("bad_csv", name=name, row=1, reason="not_text") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return [], None
    header = None
    if not _numeric(rows[0][0]) or not all(_numeric(c) for c in rows[0]):
        header, rows = [c.strip().lower() for c in rows[0]], rows[1:]
    if not rows:
        return [], None
    width = len(rows[0])
    label_column = None
    if header is not None:
        label_column = next((header.index(n) for n in ("label", "class", "y") if n in header), None)
    elif _square(width - 1) and not _square(width):
        label_column = 0
    pixels = width - (label_column is not None)
    if not _square(pixels):
        raise ImportProblem(
            "bad_csv",
            name=name,
            row=1 + (header is not None),
            reason="not_square",
            columns=pixels,
        )
    values, labels = np.empty((len(rows), pixels)), []
    for i, row in enumerate(rows):
        line = i + 1 + (header is not None)
        if len(row) != width:
            raise ImportProblem("bad_csv", name=name, row=line, reason="ragged", columns=len(row), width=width)
        if label_column is not None:
            labels.append(row[label_column].strip())
            row = row[:label_column] + row[label_column + 1 :]
        try:
            values[i] = [float(c) for c in row]
        except ValueError:
            raise ImportProblem("bad_csv", name=name, row=line, reason="not_number") from None
    side = int(round(pixels**0.5))
    stack = _as_stack(values.reshape(len(rows), side, side), name)
    return list(stack), labels if label_column is not None else None


# --- all images: labels, ink, size ---------------------------------------------------------------


def _border_mean(image: np.ndarray) -> float:
    return float(np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]).mean())


def _class_order(names: set[str]) -> list[str]:
    numbers = all(n.lstrip("-").isdigit() for n in names)
    return sorted(names, key=(lambda n: int(n)) if numbers else str)


def _fitted(image: np.ndarray, side: int) -> np.ndarray:
    """Padded to a square with its background (0, after inversion), then resized: never stretched."""
    h, w = image.shape
    n = max(h, w)
    square = np.zeros((n, n), dtype=np.float32)
    top, left = (n - h) // 2, (n - w) // 2
    square[top : top + h, left : left + w] = image
    if n == side:
        return square
    picture = Image.fromarray(square).resize((side, side), Image.Resampling.LANCZOS, reducing_gap=None)
    return np.clip(np.asarray(picture, dtype=np.float32), 0.0, 1.0)


def _finish(
    grey: list[np.ndarray],
    raw_labels: list[str] | None,
    name: str,
    source: str,
    side: int | None,
    invert: str,
    limits: ImportLimits,
    skipped: list[str],
) -> ImportedImages:
    sizes: dict[tuple[int, int], int] = {}
    for g in grey:
        sizes[g.shape] = sizes.get(g.shape, 0) + 1
    notes: list[str] = []
    if side is None:
        if len(sizes) > 1:
            first, second = (f"{h} × {w}" for h, w in list(sizes)[:2])
            raise ImportProblem("mixed_sizes", name=name, first=first, second=second)
        ((h, w),) = sizes
        if max(h, w) > limits.max_side_kept:
            raise ImportProblem("too_big_to_keep", name=name, size=f"{h} × {w}", limit=limits.max_side_kept)
    elif len(sizes) > 1:
        notes.append("mixed_sizes")
    inverted = {"yes": True, "no": False}.get(invert)
    if inverted is None:
        inverted = float(np.median([_border_mean(g) for g in grey])) > 0.5
    images = [1.0 - g if inverted else g for g in grey]
    if side is not None:
        images = [_fitted(g, side) for g in images]
    stack = np.round(np.stack(images) * 255.0).astype(np.uint8)  # (N, H, W)
    labels, class_names = None, ()
    if raw_labels is not None:
        found = _class_order(set(raw_labels))
        if len(found) < 2:
            notes.append("one_class")
        else:
            index = {c: i for i, c in enumerate(found)}
            labels, class_names = np.array([index[c] for c in raw_labels], dtype=np.int64), tuple(found)
    resized = side is not None and any(shape != (side, side) for shape in sizes)
    return ImportedImages(
        images=stack,
        labels=labels,
        class_names=class_names,
        source=source,
        sizes_found=sizes,
        resized=resized,
        inverted=bool(inverted),
        skipped=tuple(skipped[:MAX_SKIPPED_NAMES]),
        notes=tuple(notes),
    )


# --- the entry point ------------------------------------------------------------------------------


def read_images(
    data: bytes,
    filename: str,
    *,
    side: int | None = SIDE,
    invert: str = "auto",
    limits: ImportLimits = ImportLimits(),
) -> ImportedImages:
    """The images of an uploaded file, grey, as ink on dark and `side` × `side` (None: their own size)."""
    name = PurePosixPath(filename.replace("\\", "/")).name or "the file"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in (".zip", ".npz", ".csv"):
        raise ImportProblem("unknown_format", name=name, allowed=".zip, .npz, .csv")
    if len(data) > limits.max_upload_bytes:
        raise ImportProblem("too_large", name=name, size=len(data), limit=limits.max_upload_bytes)
    skipped: list[str] = []
    if suffix == ".zip":
        grey, raw_labels = _read_zip(data, name, limits, skipped)
    elif suffix == ".npz":
        grey, raw_labels = _read_npz(data, name)
    else:
        grey, raw_labels = _read_csv(data, name)
    if not grey:
        raise ImportProblem("no_images", name=name)
    if len(grey) > limits.max_images:
        raise ImportProblem("too_many", name=name, count=len(grey), limit=limits.max_images)
    if len(grey) < limits.min_images:
        raise ImportProblem("too_few", name=name, count=len(grey), minimum=limits.min_images)
    if all(float(g.max()) == float(g.min()) for g in grey):
        raise ImportProblem("all_blank", name=name)
    return _finish(grey, raw_labels, name, suffix[1:], side, invert, limits, skipped)


# --- kept on disk --------------------------------------------------------------------------------


def content_digest(imported: ImportedImages) -> str:
    """16 hex signs of SHA-256 over the images, their labels and classes: the set's name."""
    h = hashlib.sha256()
    h.update(repr(imported.images.shape).encode())
    h.update(np.ascontiguousarray(imported.images).tobytes())
    if imported.labels is not None:
        h.update(np.ascontiguousarray(imported.labels, dtype=np.int64).tobytes())
    h.update("\x00".join(imported.class_names).encode())
    return h.hexdigest()[:16]


def save_imported(imported: ImportedImages, path: str | Path) -> None:
    """An .npz of plain arrays (no pickle), written whole or not at all."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    arrays = {"images": imported.images, "class_names": np.array(imported.class_names, dtype=str)}
    if imported.labels is not None:
        arrays["labels"] = imported.labels
    arrays["source"] = np.array(imported.source)
    arrays["inverted"] = np.array(imported.inverted)
    with open(tmp, "wb") as file:
        np.savez_compressed(file, **arrays)
    os.replace(tmp, path)


def load_imported(path: str | Path) -> ImportedImages:
    with np.load(path, allow_pickle=False) as file:
        images = file["images"]
        labels = file["labels"].astype(np.int64) if "labels" in file.files else None
        class_names = tuple(str(c) for c in file["class_names"].tolist())
        source = str(file["source"]) if "source" in file.files else "npz"
        inverted = bool(file["inverted"]) if "inverted" in file.files else False
    _, h, w = images.shape
    return ImportedImages(images, labels, class_names, source, {(h, w): len(images)}, False, inverted)

"""A user's own images, read safely: a zip of PNG/JPEG files (optionally in folders named by class), an
.npz of arrays or a CSV of pixels, made grey, light ink on dark (MNIST's convention) and one size.

Everything is read in memory, never unpacked to disk, and nothing in the upload is trusted: a zip's
declared sizes are checked against what its members really unpack to, an .npz array's size is read
from its header before NumPy allocates it, and each image is fitted to its final size as soon as it is
decoded, so a thousand large photos never sit in memory at once. Every way a file can be wrong
(corrupt, a zip bomb, a path that climbs out of its folder, too many or too few images) is an
`ImportProblem` whose `code` the app translates, with the values that name the problem in `details`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import struct
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from PIL import Image, ImageOps

SIDE = 28  # images are made this size unless kept at their own
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
JUNK = ("__MACOSX", "Thumbs.db", "desktop.ini")  # folders and files an OS adds, dropped silently
MAX_SKIPPED_NAMES = 20
BOMB_MIN_BYTES = 1 << 20  # a ratio test on tiny members would refuse a blank PNG
INVERT_CHOICES = ("auto", "yes", "no")
MAX_SIDE = 256  # the largest side a caller may fit images to (above: a programming error, not the user's)
# Pillow's decoders for the files a student has, never the ones that run programs (EPS runs Ghostscript).
PILLOW_FORMATS = ("PNG", "JPEG", "MPO", "BMP", "GIF", "WEBP", "TIFF")
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # Pillow's "L" weights (ITU-R 601-2)

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


class _Blank(dict):
    def __missing__(self, key: str) -> str:  # a detail left out: the sentence still reads
        return "?"


class ImportProblem(ValueError):
    """Bad input, named: `code` says which problem (the app translates it), `details` fill its message."""

    def __init__(self, code: str, **details: Any) -> None:
        self.code, self.details = code, details
        values = _Blank(details)
        why = ""
        if code == "bad_csv":
            why = CSV_REASONS.get(str(details.get("reason")), "is not a row of pixels").format_map(values)
            if "column" in details:  # the cell that is not a number, in English only (the app says the row)
                why += f" (column {details['column']}: {str(details.get('value', ''))[:20]!r})"
        template = PROBLEM_MESSAGES.get(code, "'{name}' cannot be read: " + code)
        super().__init__(template.format_map(_Blank(details, why=why)))

    def __reduce__(self):  # picklable with its code and details (a child process may send one)
        return (partial(type(self), self.code, **self.details), ())


@dataclass(frozen=True)
class ImportLimits:
    """What one upload may cost the server: every size is checked before anything that big is allocated."""

    max_upload_bytes: int = 50 * 1024 * 1024
    max_images: int = 20_000
    # A zip's members, uncompressed, together; also the most pixels all its images may decode to.
    max_unpacked_bytes: int = 400 * 1024 * 1024
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


def _size(h: int, w: int) -> str:
    return f"{h} × {w}"


# --- one image -----------------------------------------------------------------------------------


def _flatten_alpha(grey: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(H, W) uint8 from luminance and transparency (both 0..255), so that transparent ink is never lost.

    A drawing in one colour on a transparent sheet (white ink or black alike) has its shape in its alpha
    only: the alpha is then the ink, light on dark. Otherwise the image is composited over a background
    opposite to its opaque pixels (light ones over black, dark ones over white), so they stay visible;
    the set's inversion then decides which of the two is ink."""
    grey, alpha = grey.astype(np.float32), alpha.astype(np.float32)
    if alpha.min() >= 255:
        return np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    opaque = alpha >= 128
    if not opaque.any():
        opaque = alpha > 0
    if not opaque.any():  # nothing drawn at all: blank
        return np.zeros(grey.shape, np.uint8)
    low, high = np.percentile(grey[opaque], [5, 95])
    if high - low <= 24:  # one colour where opaque: the shape is the alpha itself
        return np.clip(np.rint(alpha), 0, 255).astype(np.uint8)
    background = 0.0 if float(np.average(grey, weights=alpha)) > 127 else 255.0
    a = alpha / 255.0
    return np.clip(np.rint(grey * a + background * (1.0 - a)), 0, 255).astype(np.uint8)


def _pixels(picture: Image.Image) -> np.ndarray:
    """A decoded picture as (H, W) uint8 luminance, its transparency flattened."""
    if picture.format in ("JPEG", "MPO", "WEBP", "TIFF"):  # the formats of phone photos, stored sideways
        try:
            picture = ImageOps.exif_transpose(picture) or picture
        except Exception:  # a damaged EXIF block: the picture as stored
            pass
    mode = picture.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info:
        rgba = np.asarray(picture.convert("RGBA"), dtype=np.float32)
        return _flatten_alpha(rgba[..., :3] @ LUMA, rgba[..., 3])
    if mode.startswith("I;16"):
        return np.clip(np.rint(np.asarray(picture, dtype=np.float32) / 257.0), 0, 255).astype(np.uint8)
    if mode in ("I", "F"):
        values = np.asarray(picture, dtype=np.float32)
        top = float(values.max()) if values.size else 0.0
        scale = 255.0 if mode == "F" and top <= 1.0 else (1 / 257.0 if top > 255 else 1.0)
        return np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
    if mode not in ("L", "RGB", "1", "P"):
        picture = picture.convert("RGB")
    return np.asarray(picture.convert("L"), dtype=np.uint8)


_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _decode(
    content: bytes, member: str, name: str, limits: ImportLimits, side: int | None
) -> tuple[np.ndarray, tuple[int, int]] | None:
    """One image file as (H, W) uint8 and the (H, W) it has in the file, or None when it is not an image
    Pillow reads (it is skipped). A JPEG to be fitted is decoded at a fraction of its size, still larger
    than the result: a photo costs a sixteenth of its pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=PILLOW_FORMATS) as picture:
                width, height = picture.size
                if width * height > limits.max_pixels:  # read from the header, before any pixel is decoded
                    raise ImportProblem(
                        "image_too_large", name=name, member=member, pixels=width * height, limit=limits.max_pixels
                    )
                if side is not None and picture.format in ("JPEG", "MPO"):
                    picture.draft(picture.mode, (2 * side, 2 * side))  # a photo decoded at 1/2 … 1/8 scale
                picture.load()
                image = _pixels(picture)
    except ImportProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = _BOMB_PIXELS.search(str(exc))
        pixels = int(found.group(1)) if found else limits.max_pixels + 1
        raise ImportProblem(
            "image_too_large", name=name, member=member, pixels=pixels, limit=limits.max_pixels
        ) from None
    except Exception:  # whatever a decoder raises on a bad file: that member is skipped, not the import
        return None
    if (image.shape[0] > image.shape[1]) != (height > width):  # turned upright from its EXIF orientation
        width, height = height, width
    return image, (height, width)


# --- all images: sizes, fitting, ink, labels -----------------------------------------------------


def _squared(image: np.ndarray, background: int) -> np.ndarray:
    """The image centred on a square of its own background: resizing it then never stretches a digit."""
    h, w = image.shape
    if h == w:
        return image
    n = max(h, w)
    square = np.full((n, n), background, dtype=np.uint8)
    top, left = (n - h) // 2, (n - w) // 2
    square[top : top + h, left : left + w] = image
    return square


def _fitted(image: np.ndarray, side: int, border: np.ndarray) -> np.ndarray:
    if image.shape == (side, side):
        return image
    square = _squared(image, int(np.median(border)))
    picture = Image.fromarray(square).resize((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(picture, dtype=np.uint8)


class _Images:
    """Collects images one by one, each fitted to its final size at once (only the small result is kept),
    with what the end needs: the sizes found, the border means that decide the ink, the labels."""

    def __init__(self, name: str, side: int | None, limits: ImportLimits, count: int = 0):
        self.name, self.side, self.limits, self.count = name, side, limits, count
        self.images: list[np.ndarray] = []
        self.labels: list[str | None] = []
        self.borders: list[float] = []
        self.sizes: dict[tuple[int, int], int] = {}

    def add(self, image: np.ndarray, label: str | None = None, size: tuple[int, int] | None = None) -> None:
        """`size`: the image's in its file, when it was decoded smaller (a JPEG's draft)."""
        h, w = size or image.shape
        if len(self.images) >= self.limits.max_images:
            count = max(self.count, len(self.images) + 1)
            raise ImportProblem("too_many", name=self.name, count=count, limit=self.limits.max_images)
        if self.side is None:
            if self.sizes and (h, w) not in self.sizes:
                first = _size(*next(iter(self.sizes)))
                raise ImportProblem("mixed_sizes", name=self.name, first=first, second=_size(h, w))
            if max(h, w) > self.limits.max_side_kept:
                raise ImportProblem(
                    "too_big_to_keep", name=self.name, size=_size(h, w), limit=self.limits.max_side_kept
                )
        self.sizes[(h, w)] = self.sizes.get((h, w), 0) + 1
        border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
        self.borders.append(float(border.mean()))
        self.images.append(image if self.side is None else _fitted(image, self.side, border))
        self.labels.append(label)


def _class_order(names: set[str]) -> list[str]:
    """Sorted, numerically when all are integers ("10" after "9")."""
    numbers = all(re.fullmatch(r"-?\d+", n) for n in names)
    return sorted(names, key=(lambda n: (int(n), n)) if numbers else str)


def _finish(collected: _Images, source: str, invert: str, skipped: list[str]) -> ImportedImages:
    name, limits, side = collected.name, collected.limits, collected.side
    count = len(collected.images)
    if count == 0:
        raise ImportProblem("no_images", name=name)
    if count < limits.min_images:
        raise ImportProblem("too_few", name=name, count=count, minimum=limits.min_images)
    stack = np.stack(collected.images).astype(np.uint8, copy=False)  # (N, H, W)
    flat = stack.reshape(count, -1)
    if (flat.min(axis=1) == flat.max(axis=1)).all():
        raise ImportProblem("all_blank", name=name)
    # Dark ink on light paper (scans, photos of paper, most PNGs) has bright borders: decided over the
    # whole set, so that one odd image is not treated unlike the others.
    inverted = {"yes": True, "no": False}.get(invert)
    if inverted is None:
        inverted = float(np.median(collected.borders)) > 127.5
    if inverted:
        stack = 255 - stack
    notes: list[str] = []
    if side is not None and len(collected.sizes) > 1:
        notes.append("mixed_sizes")
    labels, class_names = None, ()
    if collected.labels and all(label is not None for label in collected.labels):
        found = _class_order(set(collected.labels))  # type: ignore[arg-type]
        if len(found) < 2:
            notes.append("one_class")
        else:
            index = {c: i for i, c in enumerate(found)}
            labels, class_names = np.array([index[c] for c in collected.labels], dtype=np.int64), tuple(found)
    return ImportedImages(
        images=np.ascontiguousarray(stack),
        labels=labels,
        class_names=class_names,
        source=source,
        sizes_found=dict(collected.sizes),
        resized=side is not None and any(shape != (side, side) for shape in collected.sizes),
        inverted=bool(inverted),
        skipped=tuple(skipped[:MAX_SKIPPED_NAMES]),
        notes=tuple(notes),
    )


# --- zip -----------------------------------------------------------------------------------------


def _parts(member: str) -> list[str]:
    return [p for p in member.replace("\\", "/").split("/") if p not in ("", ".")]


def _unsafe(member: str) -> bool:
    """Absolute (/, \\), with a drive letter (C:) or climbing out with "..": it could leave its folder."""
    path = member.replace("\\", "/")
    return path.startswith("/") or re.match(r"[A-Za-z]:", path) is not None or ".." in path.split("/")


def _junk(member: str) -> bool:
    junk = {j.lower() for j in JUNK}
    return any(p.startswith(".") or p.lower() in junk for p in _parts(member))


def _header_lies(data: bytes, info: zipfile.ZipInfo) -> bool:
    """Whether a member's data unpacks to more than its header declares (inflated here, capped)."""
    try:
        local = data[info.header_offset : info.header_offset + 30]
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            return False
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        raw = data[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            return info.compress_size > info.file_size
        if info.compress_type == zipfile.ZIP_DEFLATED:
            return len(zlib.decompressobj(-15).decompress(raw, info.file_size + 1)) > info.file_size
    except (zlib.error, struct.error, ValueError):
        pass
    return False


def _read_zip(data: bytes, name: str, side: int | None, limits: ImportLimits) -> tuple[_Images, list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise ImportProblem("corrupt_zip", name=name) from None
    for m in archive.infolist():
        if _unsafe(m.filename):
            raise ImportProblem("unsafe_path", name=name, member=m.filename)
    if sum(m.file_size for m in members) > limits.max_unpacked_bytes:
        raise ImportProblem("zip_bomb", name=name, member=max(members, key=lambda m: m.file_size).filename)
    wanted = sorted((m for m in members if not _junk(m.filename)), key=lambda m: m.filename)
    candidates = [m for m in wanted if PurePosixPath(m.filename.lower()).suffix in IMAGE_SUFFIXES]
    if len(candidates) > limits.max_images:
        raise ImportProblem("too_many", name=name, count=len(candidates), limit=limits.max_images)
    for m in candidates:  # all refusals that the central directory shows come before any decoding
        if m.flag_bits & 0x1:
            raise ImportProblem("encrypted", name=name, member=m.filename)
        if m.file_size > BOMB_MIN_BYTES and m.file_size > limits.max_ratio * max(1, m.compress_size):
            raise ImportProblem("zip_bomb", name=name, member=m.filename)
    chosen = {id(m) for m in candidates}
    skipped = [m.filename for m in wanted if id(m) not in chosen]
    collected = _Images(name, side, limits, count=len(candidates))
    unpacked = decoded = 0
    with archive:
        for m in candidates:
            # Declared sizes are not trusted: never more is read than the member may unpack to, and a
            # member whose data unpacks past its header's size (which zipfile reports as a bad CRC) is a bomb.
            limit = min(
                max(BOMB_MIN_BYTES, int(limits.max_ratio * m.compress_size)), limits.max_unpacked_bytes - unpacked
            )
            try:
                with archive.open(m) as stream:
                    content = stream.read(limit + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
                if _header_lies(data, m):
                    raise ImportProblem("zip_bomb", name=name, member=m.filename) from exc
                skipped.append(m.filename)  # a damaged member
                continue
            except (NotImplementedError, RuntimeError):  # a compression this Python lacks
                skipped.append(m.filename)
                continue
            if len(content) > limit:
                raise ImportProblem("zip_bomb", name=name, member=m.filename)
            unpacked += len(content)
            decoded_image = _decode(content, m.filename, name, limits, side)
            if decoded_image is None:
                skipped.append(m.filename)
                continue
            image, size = decoded_image
            decoded += image.size  # many images each under max_pixels are a bomb together
            if decoded > limits.max_unpacked_bytes:
                raise ImportProblem("zip_bomb", name=name, member=m.filename)
            parts = _parts(m.filename)
            # Labels come from folders only when every image sits in one (`3/a.png`, `digits/7/b.png`).
            collected.add(image, parts[-2] if len(parts) > 1 else None, size)
    return collected, skipped


# --- npz and csv ---------------------------------------------------------------------------------


def _shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(map(str, shape)) or "()"


def _layout(images: np.ndarray, name: str, limits: ImportLimits, key: str) -> np.ndarray:
    """Any usual layout of a stack of images as a (N, H, W, C) view, C in 1, 3, 4 (no copy)."""
    shape = tuple(int(s) for s in images.shape)
    bad = ImportProblem("bad_shape", name=name, shape=_shape_text(shape))
    if not (np.issubdtype(images.dtype, np.number) or images.dtype == bool) or np.issubdtype(
        images.dtype, np.complexfloating
    ):
        raise bad
    if images.ndim == 2 and shape[1] >= 16 and math.isqrt(shape[1]) ** 2 == shape[1]:  # (N, 784): flattened
        images = images.reshape(shape[0], math.isqrt(shape[1]), math.isqrt(shape[1]))
    if images.ndim == 3:
        images = images[..., None]
    elif images.ndim == 4 and shape[-1] in (1, 3, 4):
        pass
    elif images.ndim == 4 and shape[1] in (1, 3, 4):
        images = np.moveaxis(images, 1, -1)
    else:
        raise bad
    n, h, w, _ = images.shape
    if n == 0 or min(h, w) < 2:
        raise bad
    if h * w > limits.max_pixels:
        raise ImportProblem("image_too_large", name=name, member=key, pixels=h * w, limit=limits.max_pixels)
    if n > limits.max_images:
        raise ImportProblem("too_many", name=name, count=n, limit=limits.max_images)
    return images


def _scale(images: np.ndarray, name: str) -> float:
    """What the values are multiplied by to be 0..255: 255 for [0, 1] (and 0/1 or booleans), else 1."""
    if images.dtype == bool:
        return 255.0
    if np.issubdtype(images.dtype, np.floating) and not np.isfinite(images).all():
        raise ImportProblem("bad_values", name=name)
    low, high = float(images.min()), float(images.max())
    if low < 0 or high > 255:
        raise ImportProblem("bad_values", name=name)
    return 255.0 if high <= 1.0 else 1.0


def _add_stack(collected: _Images, images: np.ndarray, labels: list[str] | None, name: str) -> None:
    """(N, H, W, C) values added one image at a time: luminance, transparency, 0..255."""
    scale = _scale(images, name)
    channels = images.shape[-1]
    for i, values in enumerate(images):
        values = values.astype(np.float32) * scale if scale != 1.0 or values.dtype != np.uint8 else values
        if channels == 1:
            grey = values[..., 0]
            image = grey if grey.dtype == np.uint8 else np.clip(np.rint(grey), 0, 255).astype(np.uint8)
        elif channels == 3:
            image = np.clip(np.rint(values.astype(np.float32) @ LUMA), 0, 255).astype(np.uint8)
        else:
            values = values.astype(np.float32)
            image = _flatten_alpha(values[..., :3] @ LUMA, values[..., 3])
        collected.add(image, None if labels is None else labels[i])


def _npz_headers(data: bytes, name: str, limits: ImportLimits) -> None:
    """Every array's size read from its header before NumPy allocates it; no pickled object arrays."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > limits.max_unpacked_bytes:
                raise ImportProblem("zip_bomb", name=name, member=max(members, key=lambda m: m.file_size).filename)
            for m in members:
                with archive.open(m) as stream:
                    version = np.lib.format.read_magic(stream)
                    read_header = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = read_header(stream)
                if dtype.hasobject:
                    raise ImportProblem("corrupt_npz", name=name)  # pickled objects are never loaded
                if math.prod(shape) * dtype.itemsize > limits.max_unpacked_bytes:
                    raise ImportProblem("zip_bomb", name=name, member=m.filename)
    except ImportProblem:
        raise
    except Exception:  # not a zip, a member that is not .npy, a damaged or encrypted header …
        raise ImportProblem("corrupt_npz", name=name) from None


def _first_of(names: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((n for n in wanted if n in names), None)


def _label_texts(labels: np.ndarray, class_names: np.ndarray | None) -> list[str]:
    if np.issubdtype(labels.dtype, np.floating) and np.isfinite(labels).all() and (labels == np.round(labels)).all():
        labels = labels.astype(np.int64)  # 3.0 is class "3"
    if np.issubdtype(labels.dtype, np.integer) and class_names is not None and class_names.ndim == 1:
        if len(labels) and labels.min() >= 0 and labels.max() < len(class_names):
            labels = class_names[labels]
    return [str(v) for v in labels.tolist()]


def _read_npz(data: bytes, name: str, side: int | None, limits: ImportLimits) -> tuple[_Images, list[str]]:
    _npz_headers(data, name, limits)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as file:
            keys = list(file.files)
            key = _first_of(keys, ("images", "x", "x_train", "X")) or (keys[0] if len(keys) == 1 else None)
            if key is None:
                raise ImportProblem("no_images_array", name=name, arrays=", ".join(keys) or "none")
            images = file[key]
            label_key = _first_of([k for k in keys if k != key], ("labels", "y", "y_train", "Y"))
            labels = file[label_key] if label_key else None
            class_names = file["class_names"] if "class_names" in keys and key != "class_names" else None
    except ImportProblem:
        raise
    except Exception:  # a damaged member, or pickled objects NumPy refuses (ValueError)
        raise ImportProblem("corrupt_npz", name=name) from None
    stack = _layout(images, name, limits, key)
    texts = None
    if labels is not None:
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1 or len(labels) != len(stack):
            raise ImportProblem("label_count", name=name, count=len(stack), labels=int(labels.size))
        texts = _label_texts(labels, class_names)
    collected = _Images(name, side, limits)
    _add_stack(collected, stack, texts, name)
    return collected, []


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _square(n: int) -> bool:
    return n >= 4 and math.isqrt(n) ** 2 == n


def _read_csv(data: bytes, name: str, side: int | None, limits: ImportLimits) -> tuple[_Images, list[str]]:
    try:
        rows = [(line, r) for line, r in enumerate(csv.reader(io.StringIO(data.decode("utf-8-sig"))), 1) if r]
    except (UnicodeDecodeError, csv.Error):
        raise ImportProblem("bad_csv", name=name, row=1, reason="not_text") from None
    rows = [(line, r) for line, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return _Images(name, side, limits), []
    header = None
    if not all(_numeric(c) for c in rows[0][1]):
        header, rows = [c.strip().lower() for c in rows[0][1]], rows[1:]
    if not rows:
        return _Images(name, side, limits), []
    width = len(rows[0][1])
    label_column = None
    if header is not None:
        label_column = next((header.index(n) for n in ("label", "class", "y") if n in header), None)
    elif _square(width - 1) and not _square(width):
        label_column = 0  # 785 columns: a label, then 28 × 28 pixels
    pixels = width - (label_column is not None)
    if not _square(pixels):
        raise ImportProblem("bad_csv", name=name, row=rows[0][0], reason="not_square", columns=pixels)
    if pixels > limits.max_pixels:
        raise ImportProblem("image_too_large", name=name, member=name, pixels=pixels, limit=limits.max_pixels)
    if len(rows) > limits.max_images:
        raise ImportProblem("too_many", name=name, count=len(rows), limit=limits.max_images)
    keep = [c for c in range(width) if c != label_column]
    values, labels = np.empty((len(rows), pixels), dtype=np.float32), []
    for i, (line, row) in enumerate(rows):
        if len(row) != width:
            raise ImportProblem("bad_csv", name=name, row=line, reason="ragged", columns=len(row), width=width)
        cells = [row[c] for c in keep]
        try:
            values[i] = np.array(cells, dtype=np.float32)
        except ValueError:
            bad = next((j for j, c in enumerate(cells) if not _numeric(c)), 0)
            raise ImportProblem(
                "bad_csv", name=name, row=line, reason="not_number", column=keep[bad] + 1, value=cells[bad].strip()[:40]
            ) from None
        if label_column is not None:
            label = row[label_column].strip()
            labels.append(str(int(float(label))) if _numeric(label) and float(label).is_integer() else label)
    k = math.isqrt(pixels)
    collected = _Images(name, side, limits)
    _add_stack(collected, values.reshape(len(rows), k, k, 1), labels if label_column is not None else None, name)
    return collected, []


# --- the entry point ------------------------------------------------------------------------------

_READERS = {".zip": ("zip", _read_zip), ".npz": ("npz", _read_npz), ".csv": ("csv", _read_csv)}


def read_images(
    data: bytes,
    filename: str,
    *,
    side: int | None = SIDE,
    invert: str = "auto",
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen: one shared default is safe
) -> ImportedImages:
    """The images of an uploaded file, grey, as ink on dark and `side` × `side`.

    side=None keeps the images' own size (all must then be equal and at most `limits.max_side_kept`).
    invert="auto" inverts a set whose borders are mostly light (dark ink on paper); "yes"/"no" force it."""
    if side is not None and not (isinstance(side, int) and 1 <= side <= MAX_SIDE):
        raise ValueError(f"side must be None or an integer from 1 to {MAX_SIDE}, not {side!r}")
    if invert not in INVERT_CHOICES:
        raise ValueError(f"invert must be one of {', '.join(INVERT_CHOICES)}, not {invert!r}")
    name = PurePosixPath(str(filename).replace("\\", "/")).name or "the file"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in _READERS:
        raise ImportProblem("unknown_format", name=name, allowed=".zip, .npz, .csv")
    if len(data) > limits.max_upload_bytes:
        raise ImportProblem("too_large", name=name, size=len(data), limit=limits.max_upload_bytes)
    source, reader = _READERS[suffix]
    collected, skipped = reader(bytes(data), name, side, limits)
    return _finish(collected, source, invert, skipped)


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
    """An .npz of plain arrays (no pickle), written whole or not at all (a temporary file, then renamed)."""
    path = Path(path)
    sizes = [[h, w, c] for (h, w), c in imported.sizes_found.items()]
    arrays = {
        "images": np.ascontiguousarray(imported.images, dtype=np.uint8),
        "class_names": np.array(list(imported.class_names), dtype=str),
        "source": np.array(imported.source),
        "sizes_found": np.array(sizes, dtype=np.int64).reshape(-1, 3),
        "resized": np.array(bool(imported.resized)),
        "inverted": np.array(bool(imported.inverted)),
        "skipped": np.array(list(imported.skipped), dtype=str),
        "notes": np.array(list(imported.notes), dtype=str),
    }
    if imported.labels is not None:
        arrays["labels"] = np.asarray(imported.labels, dtype=np.int64)
    # A name of its own: two sessions of one server may keep the same images at the same moment.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the kept images are an ordinary file of the server's
        with os.fdopen(fd, "wb") as file:
            np.savez_compressed(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_imported(path: str | Path) -> ImportedImages:
    """What `save_imported` wrote, read without pickle; a file without the small fields gets defaults."""
    with np.load(path, allow_pickle=False) as file:
        keys = set(file.files)
        images = np.asarray(file["images"], dtype=np.uint8)
        if images.ndim != 3:
            raise ValueError(f"{path}: images of shape {images.shape}, expected N × H × W")
        labels = file["labels"].astype(np.int64) if "labels" in keys else None
        texts = lambda key: tuple(str(c) for c in file[key].reshape(-1).tolist()) if key in keys else ()
        n, h, w = images.shape
        sizes = {(h, w): n}
        if "sizes_found" in keys:
            sizes = {(int(a), int(b)): int(c) for a, b, c in file["sizes_found"].reshape(-1, 3).tolist()}
        return ImportedImages(
            images=images,
            labels=labels,
            class_names=texts("class_names"),
            source=str(file["source"]) if "source" in keys else "npz",
            sizes_found=sizes,
            resized=bool(file["resized"]) if "resized" in keys else False,
            inverted=bool(file["inverted"]) if "inverted" in keys else False,
            skipped=texts("skipped"),
            notes=texts("notes"),
        )

"""A student's own digit, drawn or photographed, prepared the way the training images were.

MNIST's digits were scaled, keeping their shape, to fit a 20×20 box (anti-aliased, so they carry
grey levels), then placed in a 28×28 field with their centre of mass at its centre. scikit-learn's
8×8 digits (UCI optdigits) were written into 32×32 bitmaps, the digit as tall as the bitmap, and
each 4×4 block's count of ink pixels (0 to 16) is one pixel. A model knows nothing else: a digit
prepared differently (off-centre, thin, dark ink on white) is unusual to it, whatever it shows.

Everything here is numpy and Pillow in, numpy out, with no Streamlit: input that cannot become a
digit raises `DrawingError`, whose `reason` names the case for a message in the user's language.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError
from scipy import ndimage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a phone's photo is 2–6 MB; a larger file is not a photo of a digit
MAX_PIXELS = 40_000_000  # checked in the header, before decoding: 8000×5000; a 24 MP phone photo fits
ACCEPTED_FORMATS = ("PNG", "JPEG")
WORK_SIDE = 256  # pixels: a photo is shrunk to this on its longer side before anything else
MAX_STROKES, MAX_POINTS = 200, 20_000  # a drawing's bounds: what a canvas sends is checked too
PEN = {28: 0.15, 8: 0.22}  # a drawn stroke's width, as a share of the digit's longer side, per image size
INK_FLOOR = 0.02  # ink fainter than this is background when finding a digit's bounding box
SPECK_SHARE = 0.05  # an ink blob under this share of the largest blob's area is a speck, not the digit
MIN_CONTRAST = 0.08  # ink that stands out from the paper by less than this (of full white) is no digit


class DrawingError(ValueError):
    """Input that cannot become a digit. `reason` names the case ("empty", "too_big", "not_image",
    "too_many_pixels", "blank", "bad_strokes", "unsupported_size"); `details` holds the numbers a
    message about it needs."""

    def __init__(self, reason: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details


# --- decoding a picture, within limits --------------------------------------------------------


def _paper(rgba: Image.Image) -> tuple[int, int, int, int]:
    """What the transparent parts stand for: white paper under dark ink, but black under light ink
    (white strokes exported on a transparent ground would vanish on white)."""
    pixels = np.asarray(rgba, dtype=np.float32) / 255.0  # (H, W, 4)
    opaque = pixels[..., 3] > 0.5
    if not opaque.any() or opaque.all():
        return (255, 255, 255, 255)
    luminance = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)  # (H, W), as "L"
    return (0, 0, 0, 255) if float(luminance[opaque].mean()) > 0.5 else (255, 255, 255, 255)


def _grey(image: Image.Image) -> Image.Image:
    """One grey channel ('L'); transparent parts count as white paper, 16-bit images are scaled down."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") else max(float(values.max()), 1.0)
        return Image.fromarray((np.clip(values / top, 0, 1) * 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, _paper(rgba)), rgba).convert("L")
    return image.convert("L")


def decode_image(
    data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS, side: int = WORK_SIDE
) -> np.ndarray:
    """An uploaded PNG or JPEG as a grey image (H, W) float32 in [0, 1] (white = 1), shrunk to at
    most `side` pixels on its longer side and turned upright as the camera meant (EXIF).

    The size of the file is checked first, then the image's size as its header gives it, before a
    single pixel is decoded: a small file can announce a huge image (a decompression bomb). A JPEG
    is decoded straight at a reduced scale, so even a large photo takes little memory."""
    if len(data) > max_bytes:
        raise DrawingError(
            "too_big", f"the file has {len(data)} bytes, more than {max_bytes}", size=len(data), limit=max_bytes
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels on: the size is checked here, against a lower bound.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            if image.format not in ACCEPTED_FORMATS:
                raise DrawingError("not_image", f"a {image.format} file is not a PNG or JPEG image")
            width, height = image.size
            if width * height > max_pixels:
                raise DrawingError(
                    "too_many_pixels",
                    f"the image is {width}×{height} pixels, more than {max_pixels} in all",
                    pixels=width * height,
                    limit=max_pixels,
                )
            if width < 1 or height < 1:
                raise DrawingError("not_image", "the image has no pixels")
            image.draft("L", (side, side))  # JPEG: decode at 1/2, 1/4 or 1/8 scale; others ignore it
            image.load()
            image = ImageOps.exif_transpose(image)
            grey = _grey(image)
    except DrawingError:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's bound: refused while opening
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else 2 * (Image.MAX_IMAGE_PIXELS or max_pixels)
        raise DrawingError("too_many_pixels", str(exc), pixels=pixels, limit=max_pixels) from None
    except UnidentifiedImageError as exc:
        raise DrawingError("not_image", f"not a PNG or JPEG image ({type(exc).__name__})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt data
        raise DrawingError("not_image", f"the image cannot be read ({type(exc).__name__}: {exc})") from None
    grey.thumbnail((side, side), Image.Resampling.BOX)  # anti-aliased shrink, keeping the shape
    return np.asarray(grey, dtype=np.float32) / 255.0


# --- from a photo or a drawing to bright ink on black -------------------------------------------


def _ink_level(x: np.ndarray) -> float:
    """How strong the ink is: its maximum over 3×3 averages, so one hot pixel does not set it."""
    return float(ndimage.uniform_filter(x, size=3).max())


def _digit_mask(ink: np.ndarray) -> np.ndarray:
    """The ink blobs of a boolean image not far smaller than the largest one, with a margin for their
    soft edges: dust and stray marks would stretch the digit's bounding box."""
    labels, count = ndimage.label(ink)
    if count == 0:
        return np.ones(ink.shape, bool)
    areas = ndimage.sum_labels(np.ones(ink.shape), labels, index=np.arange(1, count + 1))  # (count,)
    keep = np.flatnonzero(areas >= SPECK_SHARE * areas.max()) + 1
    return ndimage.binary_dilation(np.isin(labels, keep), iterations=3)


def ink_from_photo(grey: np.ndarray) -> np.ndarray:
    """Bright ink on black (H, W) in [0, 1] from a grey photo (H, W) in [0, 1] of either polarity.

    Most of a photo of a digit is paper: where the median is light, the ink is dark on light paper.
    Its darkness is then measured against the paper around it, estimated by a grey closing wider
    than any stroke, so a shadow across the page changes nothing. The contrast is stretched so the
    ink is white and the paper's grain black, and specks far smaller than the digit are dropped."""
    x = np.asarray(grey, dtype=np.float32)
    if x.ndim != 2 or x.size == 0:
        raise DrawingError("not_image", f"a grey image must be 2-D, not shape {x.shape}")
    size = max(3, max(x.shape) // 5)  # wider than any stroke of a digit that fills much of the photo
    if float(np.median(x)) > 0.5:  # dark ink on light paper: light × the paper's reflectance
        paper = ndimage.grey_closing(x, size=(size, size))  # the paper's brightness, the ink closed over
        x = np.clip(1.0 - x / np.maximum(paper, 1e-3), 0.0, 1.0)  # ink's share of the light it took
    else:  # light ink on a dark ground (an MNIST image itself): minus the ground
        x = np.clip(x - ndimage.grey_opening(x, size=(size, size)), 0.0, None)
    level = _ink_level(x)
    if level < MIN_CONTRAST:
        raise DrawingError("blank", f"no ink stands out from the background (contrast {level:.3f})")
    x = x * _digit_mask(x > 0.5 * level)
    level = _ink_level(x)  # the digit's own: a dark fleck no longer sets it
    low, high = 0.25 * level, 0.6 * level  # under a quarter of the ink's level is paper
    return np.clip((x - low) / (high - low), 0.0, 1.0)


def check_strokes(strokes: Any) -> list[np.ndarray]:
    """A canvas's strokes, each a list of [x, y] in [0, 1] (x to the right, y down), as arrays
    (P, 2); anything else (too many points, numbers that are not finite) is refused."""
    if not isinstance(strokes, list | tuple) or len(strokes) > MAX_STROKES:
        raise DrawingError("bad_strokes", f"strokes must be a list of at most {MAX_STROKES} strokes")
    checked, total = [], 0
    for stroke in strokes:
        try:
            points = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            raise DrawingError("bad_strokes", "a stroke is not a list of [x, y] points") from None
        if points.size == 0:
            continue
        total += len(points)
        if points.ndim != 2 or points.shape[1] != 2 or total > MAX_POINTS or not np.isfinite(points).all():
            raise DrawingError("bad_strokes", f"a stroke of shape {points.shape} or {total} points in all")
        checked.append(np.clip(points, 0.0, 1.0))
    return checked


def ink_from_strokes(strokes: Sequence[np.ndarray], *, pen: float = PEN[28], side: int = WORK_SIDE) -> np.ndarray:
    """Strokes (each (P, 2) in [0, 1]) drawn white on black (side, side), at a width of `pen` times
    the digit's longer side: as if every digit were written with the same pen at the same size,
    however large it was drawn on the screen."""
    if not strokes:
        raise DrawingError("empty", "nothing is drawn")
    every = np.concatenate(strokes)  # (N, 2)
    low, high = every.min(axis=0), every.max(axis=0)
    extent = float(max(high - low))
    # The digit drawn in the middle of the square at 70 % of its side, so the pen's ends fit in.
    scale = 0.7 * side / max(extent, 1e-3)
    width = max(1.0, pen * 0.7 * side) if extent > 1e-3 else 0.15 * side  # a lone dot: a round blob
    centre = (low + high) / 2
    image = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(image)
    for points in strokes:
        xy = [(float(x), float(y)) for x, y in (points - centre) * scale + side / 2]
        if len(xy) > 1:
            draw.line(xy, fill=255, width=round(width), joint="curve")
        for x, y in (xy[0], xy[-1]) if len(xy) > 1 else xy:  # round ends, as a pen's
            draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=255)
    return np.asarray(image, dtype=np.float32) / 255.0


# --- the training images' preparation ---------------------------------------------------------


def _crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """The ink's bounding box (pixels above INK_FLOOR), scaled so the brightest pixel is 1."""
    x = np.asarray(ink, dtype=np.float32)
    top = float(x.max()) if x.size else 0.0
    if not np.isfinite(top) or top <= 0:
        raise DrawingError("empty", "there is no ink")
    x = np.clip(x / top, 0.0, 1.0)
    rows, cols = np.flatnonzero((x > INK_FLOOR).any(axis=1)), np.flatnonzero((x > INK_FLOOR).any(axis=0))
    return x[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _resized(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """Anti-aliased resize of a float image: an average over each target pixel's area when shrinking."""
    if x.shape == (height, width):
        return x.copy()
    shrinking = height < x.shape[0] or width < x.shape[1]
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    out = Image.fromarray(x.astype(np.float32), mode="F").resize((width, height), method)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, 1.0)


def _shifted(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """`x` moved by whole pixels, zeros coming in (no wrapping round)."""
    out = np.zeros_like(x)
    h, w = x.shape
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = x[
        max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)
    ]
    return out


def mnist_style(ink: np.ndarray, *, size: int = 28, box: int = 20) -> np.ndarray:
    """Bright ink (H, W) → (size, size) in [0, 1] as MNIST's digits: the bounding box scaled to fit
    `box`×`box` keeping its shape, then moved by whole pixels so the centre of mass is at
    (size/2, size/2), where it is in MNIST (pixel 14 of 0…27, as `ndimage.center_of_mass` counts)."""
    digit = _crop_to_ink(ink)
    h, w = digit.shape
    scale = box / max(h, w)
    digit = _resized(digit, max(1, round(h * scale)), max(1, round(w * scale)))
    digit /= max(float(digit.max()), 1e-6)  # the strokes' cores white, as MNIST's
    field = np.zeros((size, size), np.float32)
    top, left = (size - digit.shape[0]) // 2, (size - digit.shape[1]) // 2
    field[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    cy, cx = ndimage.center_of_mass(field)
    return _shifted(field, round(size / 2 - cy), round(size / 2 - cx))


def optdigits_style(ink: np.ndarray, *, size: int = 8, block: int = 4) -> np.ndarray:
    """Bright ink (H, W) → (size, size) in [0, 1] as scikit-learn's digits: the digit as tall as a
    (size·block)² bitmap (or as wide, if wider than tall), centred, thresholded to ink or not, and
    each block×block square's ink count (0 to 16 for 4×4) divided by block², as the app's data set is."""
    digit = _crop_to_ink(ink)
    h, w = digit.shape
    side = size * block
    scale = side / max(h, w)
    digit = _resized(digit, max(1, min(side, round(h * scale))), max(1, min(side, round(w * scale))))
    bitmap = np.zeros((side, side), np.float32)
    top, left = (side - digit.shape[0]) // 2, (side - digit.shape[1]) // 2
    bitmap[top : top + digit.shape[0], left : left + digit.shape[1]] = digit >= 0.5
    counts = bitmap.reshape(size, block, size, block).sum(axis=(1, 3))  # (size, size) in 0..block²
    return (counts / block**2).astype(np.float32)


def prepare(ink: np.ndarray, image_shape: tuple[int, int, int]) -> np.ndarray:
    """Bright ink → one image (1, C, H, W) shaped like a data set's `image_shape`: 28×28 as MNIST,
    8×8 as the digits."""
    channels, height, width = image_shape
    if channels == 1 and height == width == 28:
        image = mnist_style(ink)
    elif channels == 1 and height == width == 8:
        image = optdigits_style(ink)
    else:
        raise DrawingError("unsupported_size", f"no preparation for images of shape {image_shape}")
    return image[None, None]


def pen_for(image_shape: tuple[int, int, int]) -> float:
    """The pen width that makes drawn strokes as thick, once prepared, as the data set's."""
    return PEN.get(image_shape[-1], PEN[28])


def prepare_photo(data: bytes, image_shape: tuple[int, int, int], **limits: int) -> np.ndarray:
    """An uploaded file's bytes → (1, C, H, W), or a DrawingError saying why not."""
    return prepare(ink_from_photo(decode_image(data, **limits)), image_shape)


def prepare_strokes(strokes: Any, image_shape: tuple[int, int, int]) -> np.ndarray:
    """A canvas's strokes → (1, C, H, W), or a DrawingError ("empty" for an empty canvas)."""
    return prepare(ink_from_strokes(check_strokes(strokes), pen=pen_for(image_shape)), image_shape)


def megabytes(size: int) -> float:
    """Bytes in MB (2²⁰), rounded up to a tenth: a file just over the limit never reads as equal to it."""
    return math.ceil(size / 2**20 * 10) / 10

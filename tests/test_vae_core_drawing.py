"""A student's own digit: prepared as MNIST's and the digits' images were, and every bad input refused
with its reason (vae_core/drawing.py)."""

from __future__ import annotations

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from vae_core.data import MNIST_5K_ASSET
from vae_core.drawing import (
    MAX_UPLOAD_BYTES,
    DrawingError,
    check_strokes,
    decode_image,
    ink_from_photo,
    ink_from_strokes,
    megabytes,
    mnist_style,
    optdigits_style,
    prepare,
    prepare_photo,
    prepare_strokes,
)

MNIST = (1, 28, 28)
DIGITS = (1, 8, 8)
SEVEN = [[[0.3, 0.2], [0.7, 0.2], [0.45, 0.8]]]
ZERO = [[[0.5 + 0.2 * np.cos(a), 0.5 + 0.3 * np.sin(a)] for a in np.linspace(0, 2 * np.pi, 60)]]


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    with np.load(MNIST_5K_ASSET) as f:
        return f["images"][::10].astype(np.float32) / 255.0, f["labels"][::10]  # 50 of each digit


def png(image: np.ndarray | Image.Image, **save: object) -> bytes:
    """An array in [0, 1] (or a Pillow image) as PNG bytes."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray((np.clip(image, 0, 1) * 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, format=save.pop("format", "PNG"), **save)
    return buffer.getvalue()


def photo_of(digit: np.ndarray, *, side: int = 400, shadow: bool = False, seed: int = 0) -> np.ndarray:
    """A 'photo' of an MNIST digit: dark ink on light paper, enlarged, with grain (and a shadow)."""
    big = np.asarray(Image.fromarray((digit * 255).astype(np.uint8)).resize((side, side), Image.Resampling.BILINEAR))
    paper = np.full((side, side), 0.85)
    if shadow:
        paper *= np.linspace(1.0, 0.55, side)[None, :]  # the light falls off across the page
    grain = np.random.default_rng(seed).normal(0, 0.02, (side, side))
    return np.clip(paper * (1 - 0.85 * big / 255.0) + grain, 0, 1)


def bounding_box(image: np.ndarray, floor: float = 0.0) -> tuple[int, int]:
    rows, cols = np.flatnonzero((image > floor).any(axis=1)), np.flatnonzero((image > floor).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


# --- MNIST's preparation ------------------------------------------------------------------------


@pytest.mark.parametrize("strokes", [SEVEN, ZERO], ids=["seven", "zero"])
def test_a_drawing_fits_20x20_with_its_centre_of_mass_at_the_centre(strokes: list) -> None:
    image = prepare_strokes(strokes, MNIST)[0, 0]
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() == pytest.approx(1.0)
    assert max(bounding_box(image)) == 20  # the longer side fills the 20×20 box
    cy, cx = ndimage.center_of_mass(image)
    assert abs(cy - 14) <= 0.5 + 1e-6 and abs(cx - 14) <= 0.5 + 1e-6  # whole-pixel shifts, as MNIST's


def test_mnist_puts_the_centre_of_mass_where_the_preparation_does(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    """The reference: MNIST's own digits have their centre of mass at pixel 14 (ndimage's count)."""
    centres = np.array([ndimage.center_of_mass(image) for image in mnist[0]])
    assert np.abs(centres.mean(axis=0) - 14).max() < 0.1
    assert max(bounding_box(mnist[0][0])) == 20


def test_an_off_centre_shape_of_any_size_is_boxed_and_centred() -> None:
    ink = np.zeros((300, 200), np.float32)
    ink[20:80, 150:190] = 1.0  # a small block in a corner, taller than wide, with a tail to the left
    ink[70:80, 100:150] = 1.0
    image = mnist_style(ink)
    assert bounding_box(image) == (round(60 * 20 / 90), 20)  # 60 tall and 90 wide: its shape kept
    cy, cx = ndimage.center_of_mass(image)
    assert abs(cy - 14) <= 0.5 + 1e-6 and abs(cx - 14) <= 0.5 + 1e-6


def test_a_real_mnist_digit_prepared_again_stays_itself(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    differences = np.array([np.abs(mnist_style(image) - image).mean() for image in mnist[0]])
    assert np.median(differences) < 1e-3 and differences.max() < 0.02  # mean pixel: 0.13


def test_a_photo_of_an_mnist_digit_comes_back_close_to_it(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    for index in range(5):
        digit = mnist[0][index]
        for shadow in (False, True):
            prepared = prepare_photo(png(photo_of(digit, shadow=shadow, seed=index)), MNIST)[0, 0]
            correlation = np.corrcoef(prepared.ravel(), digit.ravel())[0, 1]
            assert correlation > 0.85, (index, shadow, correlation)


def test_a_drawing_is_about_as_heavy_as_mnist_ink(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    """The pen's width (vae_core.drawing.PEN) gives strokes of MNIST's weight: its zeros average 0.18
    of white, its sevens 0.12."""
    images, labels = mnist
    for strokes, label in ((ZERO, 0), (SEVEN, 7)):
        drawn = prepare_strokes(strokes, MNIST)[0, 0].mean()
        assert drawn == pytest.approx(images[labels == label].mean(), rel=0.35)


# --- the digits' preparation ----------------------------------------------------------------------


def test_digits_are_counts_of_16_as_tall_as_the_frame() -> None:
    image = prepare_strokes(SEVEN, DIGITS)[0, 0]
    assert image.shape == (8, 8)
    counts = image * 16
    assert np.allclose(counts, np.round(counts)) and counts.max() == 16
    assert bounding_box(image)[0] == 8  # as every one of scikit-learn's 1,797 digits


def test_a_real_digit_prepared_again_stays_close() -> None:
    from sklearn.datasets import load_digits  # noqa: PLC0415 - slow import

    digits = load_digits().images[:100] / 16.0
    differences = []
    for image in digits:
        ink = np.asarray(
            Image.fromarray(image.astype(np.float32), mode="F").resize((64, 64), Image.Resampling.BILINEAR)
        )
        differences.append(np.abs(optdigits_style(ink) - image).mean())
    assert np.mean(differences) < 0.1  # mean pixel: 0.31


def test_only_known_image_sizes_are_prepared() -> None:
    with pytest.raises(DrawingError) as caught:
        prepare(np.ones((10, 10)), (3, 32, 32))
    assert caught.value.reason == "unsupported_size"


# --- photos ------------------------------------------------------------------------------------


def test_dark_ink_on_light_paper_is_inverted_and_light_ink_on_black_is_not(
    mnist: tuple[np.ndarray, np.ndarray],
) -> None:
    digit = mnist[0][0]
    light_paper = ink_from_photo(photo_of(digit))
    assert light_paper[0, 0] == 0 and light_paper.max() == 1  # the paper black, the ink white
    as_is = prepare_photo(png(digit), MNIST)[0, 0]  # an MNIST image itself: white ink on black
    assert np.corrcoef(as_is.ravel(), digit.ravel())[0, 1] > 0.95


def test_a_speck_far_from_the_digit_does_not_stretch_its_box(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    picture = photo_of(mnist[0][0])
    picture[380:384, 5:9] = 0.0  # a fleck of dirt in a corner
    prepared = prepare_photo(png(picture), MNIST)[0, 0]
    clean = prepare_photo(png(photo_of(mnist[0][0])), MNIST)[0, 0]
    assert np.abs(prepared - clean).mean() < 0.01


def test_a_transparent_png_counts_as_white_paper() -> None:
    rgba = np.zeros((100, 100, 4), np.uint8)  # transparent black everywhere...
    rgba[20:80, 45:55] = (0, 0, 0, 255)  # ...and an opaque black bar: a "1"
    image = prepare_photo(png(Image.fromarray(rgba, "RGBA")), MNIST)[0, 0]
    assert bounding_box(image)[0] == 20


@pytest.mark.parametrize("ground", [(0, 0, 0, 0), (255, 255, 255, 0)])
def test_white_ink_on_a_transparent_png_is_read_as_ink(ground: tuple[int, int, int, int]) -> None:
    """A drawing app's export: white strokes on nothing. On white paper it would be blank."""
    rgba = np.zeros((100, 100, 4), np.uint8)
    rgba[:, :] = ground  # transparent, whatever colour its invisible pixels carry
    rgba[20:80, 45:55] = (255, 255, 255, 255)  # an opaque white bar: a "1"
    image = prepare_photo(png(Image.fromarray(rgba, "RGBA")), MNIST)[0, 0]
    dark = np.zeros((100, 100), np.uint8)
    dark[20:80, 45:55] = 255
    reference = prepare_photo(png(Image.fromarray(dark, "L")), MNIST)[0, 0]  # the same bar, opaque
    assert bounding_box(image)[0] == 20 and np.abs(image - reference).max() < 1e-6


def test_a_16_bit_png_is_read_at_its_own_scale() -> None:
    values = np.full((64, 64), 60000, np.uint16)
    values[10:54, 28:36] = 2000
    image = Image.fromarray(values)
    assert image.mode.startswith("I;16")
    grey = decode_image(png(image))
    assert grey[0, 0] == pytest.approx(60000 / 65535, abs=0.01) and grey[32, 32] < 0.05


def test_a_photo_is_turned_upright_and_shrunk() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° to show": how a phone held upright stores its photo
    data = png(Image.new("L", (1200, 600), 200), format="JPEG", exif=exif)
    grey = decode_image(data)
    assert grey.shape == (256, 128)  # upright: taller than wide, at most 256 pixels


def test_a_large_jpeg_is_decoded_quickly_at_a_reduced_scale() -> None:
    data = png(Image.new("L", (6000, 4000), 220), format="JPEG")
    start = time.perf_counter()
    grey = decode_image(data)
    assert grey.shape == (171, 256)
    assert time.perf_counter() - start < 2.0


# --- bad input ---------------------------------------------------------------------------------


def reason(call, *args, **kwargs) -> str:  # noqa: ANN001
    with pytest.raises(DrawingError) as caught:
        call(*args, **kwargs)
    assert str(caught.value)  # a message for the log too
    return caught.value.reason


def test_an_empty_canvas_is_refused() -> None:
    assert reason(prepare_strokes, [], MNIST) == "empty"
    assert reason(prepare_strokes, [[]], MNIST) == "empty"


@pytest.mark.parametrize(
    "strokes",
    [
        "not a list",
        [[[0.1, float("nan")]]],
        [[[0.1, 0.2, 0.3]]],
        [["a", "b"]],
        [[[0.5, 0.5]] * 30_000],
        [[[0.5, 0.5]]] * 500,
    ],
    ids=["text", "nan", "three-numbers", "letters", "too-many-points", "too-many-strokes"],
)
def test_strokes_that_are_not_a_drawing_are_refused(strokes: object) -> None:
    assert reason(check_strokes, strokes) == "bad_strokes"


def test_a_single_dot_and_points_off_the_canvas_still_make_a_digit() -> None:
    assert prepare_strokes([[[0.5, 0.5]]], MNIST).max() == pytest.approx(1.0)
    assert check_strokes([[[-0.2, 1.5], [0.5, 0.5]]])[0].tolist() == [[0.0, 1.0], [0.5, 0.5]]


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    data = b"\x89PNG" + bytes(50 * 2**20)  # 50 MB
    with pytest.raises(DrawingError) as caught:
        decode_image(data)
    assert caught.value.reason == "too_big"
    assert caught.value.details == {"size": len(data), "limit": MAX_UPLOAD_BYTES}
    assert megabytes(len(data)) == 50.1  # rounded up: never "10 MB, more than 10 MB"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, not a picture\n" * 20,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        png(Image.new("L", (20, 20)), format="GIF"),
        png(Image.new("L", (20, 20)), format="BMP"),
        png(Image.new("L", (64, 64), 128))[:60],  # cut short
    ],
    ids=["empty-file", "text", "pdf-renamed-png", "gif", "bmp", "truncated-png"],
)
def test_a_file_that_is_not_a_png_or_jpeg_image_is_refused(data: bytes) -> None:
    assert reason(decode_image, data) == "not_image"


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that announces width×height grey pixels and holds a few bytes of them: decoding it would
    fail as truncated, so only a check of the header can answer 'too many pixels'."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(1000)))


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(DrawingError) as caught:
        decode_image(huge_png_header(10_000, 10_000))
    assert caught.value.reason == "too_many_pixels"
    assert caught.value.details["pixels"] == 10_000 * 10_000
    real = png(Image.new("1", (10_000, 10_000), 1))  # a real one, 100 megapixels in a few kilobytes
    assert len(real) < 100_000
    assert reason(decode_image, real) == "too_many_pixels"
    with pytest.raises(DrawingError) as caught:  # beyond Pillow's own bound, which refuses it while opening
        decode_image(huge_png_header(20_000, 20_000))
    assert caught.value.reason == "too_many_pixels" and caught.value.details["pixels"] == 20_000 * 20_000


def test_a_picture_with_nothing_on_it_is_blank() -> None:
    assert reason(prepare_photo, png(np.full((200, 300), 0.8)), MNIST) == "blank"
    noise = np.clip(0.8 + np.random.default_rng(0).normal(0, 0.01, (200, 300)), 0, 1)
    assert reason(prepare_photo, png(noise), MNIST) == "blank"


def test_strokes_are_drawn_white_on_black_at_the_working_size() -> None:
    ink = ink_from_strokes(check_strokes(SEVEN))
    assert ink.shape == (256, 256) and ink[0, 0] == 0 and ink.max() == 1

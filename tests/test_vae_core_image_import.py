"""Reading a user's own images: crafted archives (class folders, transparency, paper scans, junk, damaged
files, climbing paths, zip bombs, lying headers), .npz and CSV layouts, and every bad input a named
problem; the kept file round-trips and its digest names its content."""

from __future__ import annotations

import io
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from vae_core.image_import import (
    PROBLEM_CODES,
    ImportLimits,
    ImportProblem,
    content_digest,
    load_imported,
    read_images,
    save_imported,
)

SMALL = ImportLimits(min_images=4)


def stroke(height: int = 28, width: int = 28, *, ink: int = 255, paper: int = 0) -> np.ndarray:
    """A vertical bar in the middle: a '1'."""
    image = np.full((height, width), paper, np.uint8)
    image[height // 4 : 3 * height // 4, width // 2 - 2 : width // 2 + 2] = ink
    return image


def encoded(array: np.ndarray, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def archive(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


def problem(data: bytes, name: str, **kw) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        read_images(data, name, **kw)
    return caught.value


def test_class_folders_become_labels_in_numeric_order_and_junk_is_left_out() -> None:
    members = {f"set/{c}/{i}.png": encoded(stroke()) for c in ("2", "10", "9") for i in range(3)}
    members |= {"set/readme.txt": b"notes", "__MACOSX/set/._a.png": b"junk", "set/.DS_Store": b"junk"}
    read = read_images(archive(members), "digits.zip", limits=SMALL)
    assert read.class_names == ("2", "9", "10")  # numbers sorted as numbers
    assert read.images.shape == (9, 28, 28) and read.images.dtype == np.uint8
    assert sorted(np.bincount(read.labels).tolist()) == [3, 3, 3]
    assert read.skipped == ("set/readme.txt",)  # named; the OS's junk silently dropped
    assert read.sizes_found == {(28, 28): 9} and not read.resized and not read.inverted
    assert read.source == "zip"


def test_images_at_the_root_are_unlabelled_and_one_folder_is_one_class() -> None:
    root = read_images(archive({f"{i}.png": encoded(stroke()) for i in range(5)}), "a.zip", limits=SMALL)
    assert root.labels is None and root.class_names == () and root.notes == ()
    one = read_images(archive({f"sevens/{i}.png": encoded(stroke()) for i in range(5)}), "b.zip", limits=SMALL)
    assert one.labels is None and "one_class" in one.notes


@pytest.mark.parametrize("colour", [(255, 255, 255), (0, 0, 0)])
def test_ink_on_a_transparent_sheet_reads_as_ink_whatever_its_colour(colour) -> None:
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[7:21, 12:16] = (*colour, 255)  # opaque stroke, transparent elsewhere
    read = read_images(archive({f"{i}.png": encoded(rgba) for i in range(4)}), "t.zip", limits=SMALL)
    image = read.images[0]
    assert image[7:21, 12:16].min() > 200 and image[0].max() < 20  # bright stroke on dark, not blank


def test_dark_ink_on_paper_is_inverted_unless_told_not_to() -> None:
    scan = {f"{i}.jpg": encoded(stroke(ink=20, paper=235), "JPEG") for i in range(4)}
    auto = read_images(archive(scan), "scan.zip", limits=SMALL)
    assert auto.inverted and auto.images[0][14, 14] > 180 and auto.images[0][0, 0] < 60
    kept = read_images(archive(scan), "scan.zip", invert="no", limits=SMALL)
    assert not kept.inverted and kept.images[0][14, 14] < 60 and kept.images[0][0, 0] > 180


def test_a_wide_image_is_padded_not_stretched() -> None:
    bar = np.zeros((28, 56), np.uint8)
    bar[12:16, 8:48] = 255  # a horizontal bar
    read = read_images(archive({f"{i}.png": encoded(bar) for i in range(4)}), "w.zip", limits=SMALL)
    image = read.images[0].astype(float)
    rows, cols = np.nonzero(image > 128)
    assert read.resized and read.sizes_found == {(28, 56): 4}
    assert np.ptp(cols) > 3 * np.ptp(rows)  # still a bar lying down
    assert abs(rows.mean() - 13.5) < 1.5 and abs(cols.mean() - 13.5) < 1.5  # centred
    assert image[:7].max() == 0 and image[-7:].max() == 0  # the padding: background above and below


def test_mixed_sizes_are_fitted_or_refused_when_kept() -> None:
    members = {"a.png": encoded(stroke(28, 28)), "b.png": encoded(stroke(40, 40))} | {
        f"{i}.png": encoded(stroke()) for i in range(3)
    }
    fitted = read_images(archive(members), "m.zip", limits=SMALL)
    assert "mixed_sizes" in fitted.notes and fitted.images.shape[1:] == (28, 28)
    refused = problem(archive(members), "m.zip", side=None, limits=SMALL)
    assert refused.code == "mixed_sizes" and "40 × 40" in str(refused)
    big = {f"{i}.png": encoded(stroke(80, 80)) for i in range(4)}
    assert problem(archive(big), "big.zip", side=None, limits=SMALL).code == "too_big_to_keep"
    kept = read_images(
        archive({f"{i}.png": encoded(stroke(16, 16)) for i in range(4)}), "k.zip", side=None, limits=SMALL
    )
    assert kept.images.shape == (4, 16, 16)


def test_damaged_archives_and_paths_that_climb_out_are_named() -> None:
    assert problem(b"PK\x03\x04 not really", "x.zip").code == "corrupt_zip"
    whole = archive({f"{i}.png": encoded(stroke()) for i in range(30)})
    assert problem(whole[: len(whole) // 2], "cut.zip").code == "corrupt_zip"  # no central directory
    for evil in ("../evil.png", "/etc/evil.png", "a/../../evil.png", "C:/evil.png"):
        found = problem(archive({"ok.png": encoded(stroke()), evil: encoded(stroke())}), "e.zip")
        assert found.code == "unsafe_path" and evil in str(found)


def test_a_zip_bomb_is_refused_by_ratio_by_total_and_by_a_lying_header() -> None:
    zeros = archive({"bomb.png": b"\0" * (8 << 20)}, zipfile.ZIP_DEFLATED)  # 8 MB in a few kB
    assert len(zeros) < 100_000
    assert problem(zeros, "bomb.zip").code == "zip_bomb"
    total = problem(zeros, "bomb.zip", limits=ImportLimits(max_unpacked_bytes=1 << 20, max_ratio=1e9))
    assert total.code == "zip_bomb" and "bomb.png" in str(total)
    # A header that says 100 bytes for a 2 MB member: caught by what the member really unpacks to.
    data = bytearray(archive({f"{i}.png": encoded(stroke()) for i in range(4)} | {"liar.png": b"\0" * (2 << 20)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + name_length]) == b"liar.png":
                struct.pack_into("<I", data, start + offset, 100)
            start += 4
    found = problem(bytes(data), "liar.zip", limits=SMALL)
    assert found.code == "zip_bomb" and found.details["member"] == "liar.png" and "liar.png" in str(found)


def test_counts_and_sizes_out_of_bounds() -> None:
    few = archive({f"{i}.png": encoded(stroke()) for i in range(3)})
    assert problem(few, "few.zip").code == "too_few" and "3" in str(problem(few, "few.zip"))
    many = archive({f"{i}.png": encoded(stroke()) for i in range(12)})
    assert problem(many, "many.zip", limits=ImportLimits(max_images=10, min_images=2)).code == "too_many"
    assert problem(many, "many.zip", limits=ImportLimits(max_upload_bytes=100)).code == "too_large"
    assert problem(b"hello", "notes.txt").code == "unknown_format"
    nothing = archive({"a.txt": b"x", "b.png": b"not a png"})
    assert problem(nothing, "n.zip").code == "no_images"
    blank = archive({f"{i}.png": encoded(np.zeros((28, 28), np.uint8)) for i in range(5)})
    assert problem(blank, "blank.zip", limits=SMALL).code == "all_blank"


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_npz_layouts_values_and_labels() -> None:
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, (30, 28, 28)).astype(np.uint8)
    read = read_images(npz(images=grey, labels=np.arange(30) % 3), "g.npz", invert="no")
    assert read.images.shape == (30, 28, 28) and read.class_names == ("0", "1", "2")
    assert np.array_equal(read.images, grey)  # uint8 0..255 kept exactly
    colour = read_images(npz(x=rng.random((25, 28, 28, 3))), "c.npz")
    assert colour.images.shape == (25, 28, 28) and colour.labels is None
    channels_first = read_images(npz(images=rng.random((25, 1, 20, 20))), "f.npz")
    assert channels_first.images.shape == (25, 28, 28) and channels_first.resized
    named = read_images(npz(images=grey, labels=np.array(["cat", "dog"] * 15)), "n.npz")
    assert named.class_names == ("cat", "dog")
    assert problem(npz(images=grey, labels=np.arange(29)), "l.npz").code == "label_count"
    assert problem(npz(images=np.array([{"a": 1}] * 30, dtype=object)), "p.npz").code == "corrupt_npz"
    assert problem(npz(images=np.full((30, 28, 28), np.nan)), "nan.npz").code == "bad_values"
    assert problem(npz(images=grey[:, 0]), "s.npz").code == "bad_shape"
    assert problem(npz(a=grey, b=grey), "two.npz").code == "no_images_array"
    assert problem(b"not an npz", "x.npz").code == "corrupt_npz"


def test_csv_with_or_without_header_and_label() -> None:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (25, 784))
    labels = np.arange(25) % 5
    with_header = "label," + ",".join(f"p{i}" for i in range(784)) + "\n"
    with_header += "\n".join(",".join(map(str, [lab, *row])) for lab, row in zip(labels, pixels, strict=True))
    read = read_images(with_header.encode(), "h.csv", invert="no")
    assert read.images.shape == (25, 28, 28) and len(read.class_names) == 5
    assert np.array_equal(read.images.reshape(25, -1), pixels.astype(np.uint8))
    bare = "\n".join(",".join(map(str, [lab, *row])) for lab, row in zip(labels, pixels, strict=True))
    assert read_images(bare.encode(), "b.csv").labels is not None  # 785 columns: the first is the label
    short = "\n".join(",".join(map(str, row[:783])) for row in pixels)
    found = problem(short.encode(), "s.csv")
    assert found.code == "bad_csv" and found.details["reason"] == "not_square" and "783" in str(found)
    rows = [line.split(",") for line in bare.split("\n")]
    rows[1][5] = "seven"  # a word in the second row (in the first it would read as a header)
    broken = "\n".join(",".join(row) for row in rows)
    found = problem(broken.encode(), "x.csv")
    assert found.details["reason"] == "not_number" and found.details["row"] == 2
    ragged = bare + "\n1,2,3"
    assert problem(ragged.encode(), "r.csv").details["reason"] == "ragged"


def test_every_problem_names_its_file(tmp_path) -> None:
    for code in PROBLEM_CODES:
        details = {"name": "FILE.zip", "member": "m.png", "size": 1, "limit": 2, "count": 3, "minimum": 4}
        details |= {"pixels": 5, "arrays": "a", "shape": "1", "labels": 6, "row": 7, "reason": "ragged"}
        details |= {"columns": 8, "width": 9, "first": "1 × 1", "second": "2 × 2", "allowed": ".zip"}
        assert "FILE.zip" in str(ImportProblem(code, **details)), code


def test_a_kept_set_round_trips_and_its_digest_names_its_content(tmp_path) -> None:
    members = {f"{c}/{i}.png": encoded(stroke(ink=100 + 10 * i)) for c in ("a", "b") for i in range(3)}
    read = read_images(archive(members), "k.zip", limits=SMALL)
    save_imported(read, tmp_path / "k.npz")
    back = load_imported(tmp_path / "k.npz")
    assert np.array_equal(back.images, read.images) and np.array_equal(back.labels, read.labels)
    assert back.class_names == read.class_names and content_digest(back) == content_digest(read)
    changed = read.images.copy()
    changed[0, 0, 0] ^= 1
    assert content_digest(type(read)(**{**read.__dict__, "images": changed})) != content_digest(read)
    assert [p.name for p in tmp_path.iterdir()] == ["k.npz"]  # no temporary left behind


# --- what a hostile or odd upload does -------------------------------------------------------------


def test_a_damaged_member_is_skipped_but_the_others_are_read() -> None:
    members = {f"{i}.png": encoded(stroke()) for i in range(4)} | {"hurt.png": b"\x89PNG" + bytes(range(256)) * 40}
    data = bytearray(archive(members, zipfile.ZIP_DEFLATED))
    at = data.find(b"hurt.png") + len(b"hurt.png") + 100  # inside its deflated data: its CRC fails
    data[at] ^= 0xFF
    read = read_images(bytes(data), "hurt.zip", limits=SMALL)
    assert read.skipped == ("hurt.png",) and len(read.images) == 4


def test_what_is_not_a_png_is_never_decoded_as_one(monkeypatch) -> None:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"  # Pillow would run Ghostscript
    members = {f"{i}.png": encoded(stroke()) for i in range(4)}
    members |= {"drawing.png": eps, "odd.png": encoded(stroke(30, 30))}
    from vae_core import image_import  # noqa: PLC0415

    real = image_import._pixels
    monkeypatch.setattr(  # a decoder that fails in a way nobody foresaw, on one member only
        image_import, "_pixels", lambda p: (_ for _ in ()).throw(ZeroDivisionError) if p.size == (30, 30) else real(p)
    )
    read = read_images(archive(members), "odd.zip", limits=SMALL)
    assert read.skipped == ("drawing.png", "odd.png") and len(read.images) == 4


def test_many_images_each_small_enough_are_a_bomb_together() -> None:
    members = {f"{i}.png": encoded(np.zeros((200, 200), np.uint8)) for i in range(6)}  # 40,000 pixels each
    limits = ImportLimits(min_images=4, max_unpacked_bytes=150_000)
    found = problem(archive(members), "many.zip", limits=limits)
    assert found.code == "zip_bomb" and found.details["member"] == "3.png"  # the 4th passes 150,000 pixels


def test_an_image_with_too_many_pixels_is_named_with_its_size() -> None:
    members = {f"{i}.png": encoded(stroke()) for i in range(4)} | {"huge.png": encoded(np.zeros((100, 120), np.uint8))}
    found = problem(archive(members), "h.zip", limits=ImportLimits(min_images=4, max_pixels=5_000))
    assert found.code == "image_too_large" and found.details["pixels"] == 12_000
    assert "huge.png" in str(found) and "12000" in str(found)


def test_an_npz_whose_header_claims_a_huge_array_is_refused_before_numpy_allocates_it() -> None:
    header = {"descr": "|u1", "fortran_order": False, "shape": (1_000_000, 1000, 1000)}  # a terabyte
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, header)
    npy.write(b"\0" * 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("images.npy", npy.getvalue())
    found = problem(buffer.getvalue(), "tera.npz")
    assert found.code == "zip_bomb" and found.details["member"] == "images.npy"
    grey = np.zeros((30, 28, 28), np.uint8)
    assert problem(npz(images=grey), "g.npz", limits=ImportLimits(max_unpacked_bytes=10_000)).code == "zip_bomb"


def test_npz_colour_is_luminance_and_transparent_ink_is_ink() -> None:
    red = np.zeros((25, 28, 28, 3), np.float32)
    red[..., 0] = 1.0  # pure red in [0, 1]
    red[:, 5:9] = 0.0  # a black band, so the set is not blank
    read = read_images(npz(images=red), "red.npz", invert="no")
    assert read.images[0, 0, 0] == round(0.299 * 255) and read.images[0, 6, 0] == 0
    sheet = np.zeros((25, 28, 28, 4), np.uint8)
    sheet[:, 7:21, 12:16] = (255, 255, 255, 255)  # white ink, transparent elsewhere (colour black there)
    ink = read_images(npz(images=sheet), "ink.npz")
    assert ink.images[0, 7:21, 12:16].min() == 255 and ink.images[0].sum() == 255 * 14 * 4
    flat = read_images(npz(images=np.tile(stroke().reshape(1, 784), (25, 1))), "flat.npz")  # (N, 784)
    assert flat.images.shape == (25, 28, 28) and np.array_equal(flat.images[0], stroke())
    mask = read_images(npz(images=np.repeat((stroke() > 0).astype(np.uint8)[None], 25, axis=0)), "m.npz")
    assert np.array_equal(mask.images[0], stroke())  # a 0/1 mask is ink 255, not 1


def test_npz_labels_as_a_column_as_floats_or_by_class_names() -> None:
    grey = np.repeat(stroke()[None], 30, axis=0)
    column = read_images(npz(images=grey, labels=(np.arange(30) % 3).reshape(30, 1).astype(float)), "c.npz")
    assert column.class_names == ("0", "1", "2") and column.labels.tolist()[:4] == [0, 1, 2, 0]
    named = read_images(npz(images=grey, y=np.arange(30) % 2, class_names=np.array(["cat", "dog"])), "n.npz")
    assert named.class_names == ("cat", "dog") and named.labels.tolist()[:3] == [0, 1, 0]
    found = problem(npz(images=grey, labels=np.arange(29)), "l.npz")
    assert found.details == {"name": "l.npz", "count": 30, "labels": 29} and "29 labels" in str(found)
    assert problem(npz(images=np.full((30, 28, 28), 300.0)), "big.npz").code == "bad_values"
    assert problem(npz(images=np.full((30, 28, 28), -0.5)), "neg.npz").code == "bad_values"
    assert problem(npz(images=grey[:, None, None]), "five.npz").code == "bad_shape"  # 5 dimensions


@pytest.mark.parametrize("colour", [(250, 250, 250), (5, 5, 5)])
def test_a_drawing_with_shades_on_a_transparent_sheet_keeps_its_ink(colour) -> None:
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[7:21, 12:16] = (*colour, 255)
    rgba[7:21, 12] = (128, 128, 128, 255)  # a grey edge: the colours say something, alpha is not the shape
    read = read_images(archive({f"{i}.png": encoded(rgba) for i in range(4)}), "t.zip", limits=SMALL)
    image = read.images[0]
    assert image[7:21, 13:16].min() > 200 and image[0].max() < 20  # bright stroke on dark either way


def test_padding_is_the_paper_when_dark_ink_is_kept_dark() -> None:
    bar = np.full((28, 56), 235, np.uint8)
    bar[12:16, 8:48] = 20  # a dark bar on light paper
    read = read_images(archive({f"{i}.png": encoded(bar) for i in range(4)}), "p.zip", invert="no", limits=SMALL)
    image = read.images[0]
    assert image[:7].min() > 200 and image[-7:].min() > 200 and image[13, 14] < 80  # no black frame


def test_a_large_photo_is_fitted_without_losing_its_stroke() -> None:
    photo = np.full((1200, 900, 3), 230, np.uint8)
    photo[300:900, 390:510] = 30  # a dark vertical stroke on light paper, 3 pixels wide once fitted
    members = {f"{i}.jpg": encoded(photo, "JPEG") for i in range(4)}
    read = read_images(archive(members), "photos.zip", limits=SMALL)
    image = read.images[0]
    assert read.inverted and read.sizes_found == {(1200, 900): 4} and read.resized
    assert image[14, 14] > 150 and image[14, 4] < 60 and image[2, 14] < 60  # the stroke, in the middle


def test_more_paths_that_climb_out_and_junk_anywhere() -> None:
    for evil in ("\\evil.png", "C:\\evil.png", "d:evil.png", "a\\..\\..\\evil.png"):
        found = problem(archive({"ok.png": encoded(stroke()), evil: encoded(stroke())}), "e.zip")
        assert found.code == "unsafe_path" and found.details["member"] == evil
    members = {f"d/{i}.png": encoded(stroke()) for i in range(4)}
    members |= {"d/.hidden/x.png": b"?", "d/Thumbs.db": b"?", "__MACOSX/d/._0.png": b"?", "d/notes.md": b"?"}
    assert read_images(archive(members), "j.zip", limits=SMALL).skipped == ("d/notes.md",)


def test_an_encrypted_member_is_named() -> None:
    data = bytearray(archive({f"{i}.png": encoded(stroke()) for i in range(4)}))
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" bit of 2.png
        start = data.find(signature + b"", 0)
        while start >= 0:
            at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[at : at + 5] == b"2.png":
                data[start + flags] |= 0x1
            start = data.find(signature, start + 4)
    found = problem(bytes(data), "secret.zip", limits=SMALL)
    assert found.code == "encrypted" and found.details["member"] == "2.png"


def test_csv_names_the_cell_that_is_not_a_number_and_reads_blank_lines_and_floats() -> None:
    rows = [
        ",".join(["3", *["0"] * 783]),
        ",".join(["4", *["1"] * 783]),
        ",".join(["3", *["0"] * 400, "x", *["0"] * 382]),
    ]
    found = problem("\n".join(rows).encode(), "x.csv")
    assert found.details["row"] == 3 and found.details["column"] == 402 and "column 402" in str(found)
    pixels = np.tile(stroke().reshape(1, -1) / 255.0, (25, 1))  # floats in [0, 1], no header, no label
    text = "\n\n".join(",".join(f"{v:.4f}" for v in row) for row in pixels)  # blank lines between rows
    read = read_images(text.encode(), "f.csv")
    assert read.images.shape == (25, 28, 28) and read.labels is None and np.array_equal(read.images[0], stroke())
    named = "class," + ",".join(f"p{i}" for i in range(784)) + "\n"
    named += "\n".join(",".join([f"{c}.0", *map(str, stroke().ravel())]) for c in [7, 10] * 12)
    both = read_images(named.encode(), "n.csv")
    assert both.class_names == ("7", "10") and both.labels.tolist()[:2] == [0, 1]


def test_problems_travel_between_processes_and_bad_options_are_programming_errors() -> None:
    import pickle  # noqa: PLC0415

    found = problem(archive({"../x.png": b"?"}), "e.zip")
    back = pickle.loads(pickle.dumps(found))
    assert back.code == "unsafe_path" and back.details == found.details and str(back) == str(found)
    assert "999 bytes" in str(problem(b"\0" * 999, "big.zip", limits=ImportLimits(max_upload_bytes=10)))
    assert "row 7" in str(ImportProblem("bad_csv", name="a.csv", row=7, reason="unheard of"))
    with pytest.raises(ValueError, match="invert"):
        read_images(b"", "a.zip", invert="maybe")
    with pytest.raises(ValueError, match="side"):
        read_images(b"", "a.zip", side=0)


def test_the_kept_file_keeps_what_the_reading_found(tmp_path) -> None:
    members = {f"{c}/{i}.png": encoded(stroke(28, 40)) for c in ("a", "b") for i in range(3)} | {"a/r.txt": b"?"}
    read = read_images(archive(members), "k.zip", limits=SMALL)
    save_imported(read, tmp_path / "k.npz")
    back = load_imported(tmp_path / "k.npz")
    assert back.sizes_found == {(28, 40): 6} and back.resized and back.skipped == ("a/r.txt",)
    assert back.source == "zip" and back.notes == read.notes and back.inverted == read.inverted
    with np.load(tmp_path / "k.npz", allow_pickle=False) as file:  # plain arrays only
        assert all(file[k].dtype != object for k in file.files)
    unlabelled = read_images(archive({f"{i}.png": encoded(stroke()) for i in range(4)}), "u.zip", limits=SMALL)
    save_imported(unlabelled, tmp_path / "u.npz")
    assert load_imported(tmp_path / "u.npz").labels is None
    assert content_digest(load_imported(tmp_path / "u.npz")) == content_digest(unlabelled)
    assert content_digest(unlabelled) != content_digest(read) and len(content_digest(read)) == 16

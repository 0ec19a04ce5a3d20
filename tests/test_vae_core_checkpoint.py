"""Checkpoints: identical round trip, atomic and non-clobbering saves, a clear error per bad file."""

import errno
import io
import math
import os
import pickle
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
import torch

from vae_core import CheckpointError, CheckpointInfo, TrainSettings, load_checkpoint, save_checkpoint
from vae_core import checkpoint as ckpt
from vae_core.checkpoint import FORMAT_VERSION


def _info(model, **kw):
    return CheckpointInfo(
        config=model.config,
        dataset="digits",
        image_shape=model.config.image_shape,
        train_settings={"epochs": 1},
        history=[{"epoch": 1, "loss": 30.0}],
        metrics={"elbo": -30.0},
        **kw,
    )


@pytest.fixture
def saved(tmp_path, make_model):
    model = make_model("vae", latent_dim=3)
    return model, save_checkpoint(tmp_path / "m.pt", model, _info(model))


@pytest.mark.parametrize("kind", ["ae", "vae"])
@pytest.mark.parametrize("arch", ["mlp", "conv"])
def test_round_trip_gives_identical_outputs(tmp_path, make_model, digits, kind, arch):
    model = make_model(kind, arch=arch, latent_dim=4)
    path = save_checkpoint(tmp_path / "m.pt", model, _info(model))
    loaded, info = load_checkpoint(path)
    x = digits.val_images[:16]
    assert torch.equal(model.eval().decode(torch.ones(2, 4)), loaded.decode(torch.ones(2, 4)))
    first = model.encode(x)
    again = loaded.encode(x)
    first, again = (out if isinstance(out, tuple) else (out,) for out in (first, again))  # VAE: (μ, log σ²)
    for a, b in zip(first, again, strict=True):
        assert torch.equal(a, b)
    assert info.config == model.config and info.dataset == "digits" and info.format_version == FORMAT_VERSION
    assert info.history == [{"epoch": 1, "loss": 30.0}] and info.metrics == {"elbo": -30.0}
    assert not loaded.training


def test_half_precision_halves_the_file_and_loads_as_float32(tmp_path, make_model):
    model = make_model("vae", latent_dim=2)
    full = save_checkpoint(tmp_path / "full.pt", model, _info(model))
    half = save_checkpoint(tmp_path / "half.pt", model, _info(model), half_precision=True)
    assert half.stat().st_size < 0.7 * full.stat().st_size
    loaded, _ = load_checkpoint(half)
    assert all(p.dtype == torch.float32 for p in loaded.parameters())
    torch.testing.assert_close(loaded.decode(torch.zeros(1, 2)), model.decode(torch.zeros(1, 2)), atol=1e-2, rtol=1e-2)


def test_save_never_overwrites_unless_asked(saved, make_model):
    model, path = saved
    before = path.read_bytes()
    other = make_model("ae", latent_dim=3)
    with pytest.raises(FileExistsError, match="already exists"):
        save_checkpoint(path, other, _info(other))
    assert path.read_bytes() == before
    save_checkpoint(path, other, _info(other), overwrite=True)
    assert load_checkpoint(path)[1].config.kind == "ae"
    assert [p.name for p in path.parent.iterdir()] == ["m.pt"]  # no temporary files left behind


def test_an_interrupted_save_leaves_the_old_file_intact(saved, monkeypatch):
    model, path = saved
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(path, model, _info(model), overwrite=True)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["m.pt"]


def _expect(path, *fragments):
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path)
    message = str(err.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message


def test_truncated_file(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _expect(path, "truncated")


def test_garbage_file(tmp_path):
    path = tmp_path / "garbage.pt"
    path.write_bytes(os.urandom(3000))
    _expect(path, "not a readable PyTorch checkpoint")


def test_missing_file(tmp_path):
    _expect(tmp_path / "nope.pt", "no such file")


def test_foreign_torch_file(tmp_path):
    path = tmp_path / "foreign.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    _expect(path, "not a Latent Lab checkpoint")


def test_malicious_pickle_is_refused_without_running_it(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump(Evil(), f)
    _expect(path, "not a readable PyTorch checkpoint")  # a bare pickle: refused before unpickling
    torch.save({"format": "latent-lab-checkpoint", "payload": Evil()}, path)  # the same inside a torch file
    _expect(path, "refused", "could run code")
    assert not (tmp_path / "pwned").exists()


def _rewrite(path, change):
    raw = torch.load(path, weights_only=True)
    change(raw)
    torch.save(raw, path)


def test_newer_format_version(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw.update(format_version=FORMAT_VERSION + 1))
    _expect(path, "newer Latent Lab", "update the app")


def test_weights_that_do_not_match_the_config(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw["model_config"].update(latent_dim=5))
    _expect(path, "weights do not match", "wrong shape")


def test_missing_fields(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw.pop("model_config"))
    _expect(path, "missing or invalid fields")


def test_image_shape_mismatch(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw.update(image_shape=[1, 28, 28]))
    _expect(path, "does not match the model")


# --- odd fields: a CheckpointError naming the file, never a raw error -------------------------------

ODD_VALUES = [
    None,
    True,
    -5,
    0,
    2.0,
    2.7,
    math.nan,
    math.inf,
    2**70,
    10**5000,  # too long for int → str conversion: even the message must cope
    "x",
    "",
    [],
    ["x"],
    [1.5, 2],
    {},
    {1: 2, "a": 3},
    torch.zeros(2),
]
TOP_FIELDS = [
    "format",
    "format_version",
    "model_config",
    "state_dict",
    "dataset",
    "image_shape",
    "train_settings",
    "history",
    "metrics",
    "train_seconds",
    "created",
    "note",
]
CONFIG_FIELDS = ["kind", "arch", "image_shape", "latent_dim", "hidden_dims", "conv_channels"]
SETTINGS_FIELDS = list(TrainSettings.__dataclass_fields__)
FIELDS = (
    [(name,) for name in TOP_FIELDS]
    + [("model_config", name) for name in CONFIG_FIELDS]
    + [("train_settings", name) for name in SETTINGS_FIELDS]
    + [("state_dict", "body.1.weight"), ("history", 0), ("history", 0, "loss"), ("metrics", "elbo")]
)


def _set(raw, keys, value):
    *parents, last = keys
    target = raw
    for key in parents:
        target = target[key]
    target[last] = value


@pytest.mark.parametrize("keys", FIELDS, ids=lambda keys: ".".join(map(str, keys)))
def test_any_odd_value_of_any_field_reads_or_is_a_checkpoint_error(tmp_path, make_model, keys):
    model = make_model("vae", latent_dim=3)
    original = save_checkpoint(tmp_path / "m.pt", model, _info(model)).read_bytes()
    raw = torch.load(tmp_path / "m.pt", weights_only=True)
    assert "body.1.weight" in raw["state_dict"]
    failures = []
    for n, value in enumerate(ODD_VALUES):
        path = tmp_path / f"odd-{n}.pt"
        path.write_bytes(original)
        _rewrite(path, lambda raw, value=value: _set(raw, keys, value))
        try:
            loaded, info = load_checkpoint(path)
            info.settings  # noqa: B018 - must not raise either
            loaded.decode(torch.zeros(1, info.config.latent_dim))
        except CheckpointError as exc:
            if path.name not in str(exc):
                failures.append(f"{type(value).__name__}: message does not name the file: {exc}")
        except Exception as exc:  # collected, to report every value at once
            failures.append(f"{type(value).__name__} {str(value)[:30]!r}: {type(exc).__name__}: {exc}"[:200])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("version", [True, -5, 0, 1.0, "1"])
def test_format_version_must_be_a_whole_number_from_1(saved, version):
    _, path = saved
    _rewrite(path, lambda raw: raw.update(format_version=version))
    _expect(path, "format version")


@pytest.mark.parametrize("latent_dim", [2.0, 2.7, "2", True])
def test_a_latent_size_that_is_not_a_whole_number(saved, latent_dim):
    _, path = saved
    _rewrite(path, lambda raw: raw["model_config"].update(latent_dim=latent_dim))
    _expect(path, "latent size must be a whole number")


@pytest.mark.parametrize(
    "field, value",
    [
        ("hidden_dims", ["32", "16"]),
        ("hidden_dims", "32"),
        ("hidden_dims", [32.0, 16]),
        ("image_shape", [1, 8.0, 8]),
        ("conv_channels", [[8], 16]),
    ],
)
def test_model_settings_of_the_wrong_type(saved, field, value):
    _, path = saved
    _rewrite(path, lambda raw: raw["model_config"].update({field: value}))
    _expect(path, "whole number")


def test_a_weight_that_is_not_a_tensor(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw["state_dict"].update({"body.1.weight": 3}))
    _expect(path, "body.1.weight", "not a tensor")


def test_training_settings_with_odd_keys_read_as_the_defaults(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw.update(train_settings={1: 2, "a": 3}))
    _, info = load_checkpoint(path)
    assert info.train_settings == {1: 2, "a": 3}  # kept as written
    assert info.settings == TrainSettings.from_dict({})


@pytest.mark.parametrize(
    "value", ["abc", [1, 2], None, {"epochs": "x"}, {"lr": math.nan}, {"weight_decay": math.inf}, {"seed": -1}]
)
def test_invalid_training_settings_are_refused_when_the_file_is_read(saved, value):
    _, path = saved
    _rewrite(path, lambda raw: raw.update(train_settings=value))
    _expect(path, "training settings")


# --- denoising settings: saved, read back, and checked ------------------------------------------------


def test_denoising_settings_and_figure_round_trip(tmp_path, make_model):
    model = make_model("ae", latent_dim=3)
    settings = TrainSettings(epochs=3, corruption="salt_pepper", corruption_level=0.25)
    info = _info(model)
    info.train_settings, info.metrics = settings.to_dict(), {"recon": 20.0, "denoise_recon": 23.5}
    _, loaded = load_checkpoint(save_checkpoint(tmp_path / "m.pt", model, info))
    assert loaded.settings == settings and loaded.train_settings == settings.to_dict()
    assert loaded.settings.corruption == "salt_pepper" and loaded.settings.corruption_level == 0.25
    assert loaded.metrics["denoise_recon"] == 23.5


def test_checkpoints_from_before_denoising_load_as_plain_training(saved):
    _, path = saved
    full = TrainSettings(epochs=4).to_dict()
    old = {k: v for k, v in full.items() if not k.startswith("corruption")}
    _rewrite(path, lambda raw: raw.update(train_settings=old))
    _, info = load_checkpoint(path)
    assert info.settings == TrainSettings(epochs=4, adam_beta2=full["adam_beta2"])


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({"corruption": "blur", "corruption_level": 0.3}, "corruption must be none or one of"),
        ({"corruption": 3, "corruption_level": 0.3}, "corruption must be none or one of"),
        ({"corruption": ["gaussian"]}, "corruption must be none or one of"),
        ({"corruption": "gaussian", "corruption_level": 2.0}, "corruption level must be between 0 and 1"),
        ({"corruption": "square", "corruption_level": math.nan}, "corruption level must be a finite number"),
        ({"corruption": "square", "corruption_level": "0.3"}, "corruption level must be a finite number"),
        ({"corruption": None, "corruption_level": 0.5}, "needs a corruption kind"),
    ],
)
def test_invalid_denoising_settings_are_refused_when_the_file_is_read(saved, value, fragment):
    _, path = saved
    _rewrite(path, lambda raw: raw["train_settings"].update(value))
    _expect(path, "training settings", fragment)


@pytest.mark.parametrize("value", [{"corruption": None, "corruption_level": 0.0}, {"corruption": "square"}])
def test_no_corruption_or_a_kind_alone_is_valid_in_a_file(saved, value):
    _, path = saved
    _rewrite(path, lambda raw: raw["train_settings"].update(value))
    _, info = load_checkpoint(path)
    assert info.settings.corruption == value["corruption"] and info.settings.corruption_level == 0.0


def test_a_denoising_figure_that_is_not_a_number_is_refused(saved):
    _, path = saved
    _rewrite(path, lambda raw: raw["metrics"].update(denoise_recon="23.5"))
    _expect(path, "validation figures")


# --- a digit left out, augmentation: saved, read back, and checked ------------------------------------


def test_the_left_out_digit_its_figures_and_augmentation_round_trip(tmp_path, make_model):
    model = make_model("vae", latent_dim=3)
    settings = TrainSettings(epochs=3, without_digit=7, augment_shift=2, augment_rotation=10)
    info = _info(model)
    info.train_settings = settings.to_dict()
    info.metrics = {"elbo": -110.0, "recon": 95.0, "unseen_recon": 130.5, "unseen_elbo": -150.25}
    _, loaded = load_checkpoint(save_checkpoint(tmp_path / "m.pt", model, info))
    assert loaded.settings == settings and loaded.settings.without_digit == 7
    assert (loaded.settings.augment_shift, loaded.settings.augment_rotation) == (2.0, 10.0)
    assert loaded.metrics["unseen_recon"] == 130.5 and loaded.metrics["unseen_elbo"] == -150.25


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({"without_digit": 11}, "the left-out digit must be 0 to 9"),
        ({"without_digit": "7"}, "the left-out digit must be a whole number"),
        ({"augment_shift": 100.0}, "augmentation shift must be between 0 and 4"),
        ({"augment_rotation": math.inf}, "augmentation rotation must be a finite number"),
    ],
)
def test_an_invalid_left_out_digit_or_augmentation_is_refused_when_read(saved, value, fragment):
    _, path = saved
    _rewrite(path, lambda raw: raw["train_settings"].update(value))
    _expect(path, "training settings", fragment)


@pytest.mark.parametrize("name", ["unseen_recon", "unseen_elbo"])
def test_a_figure_on_the_left_out_digit_that_is_not_a_number_is_refused(saved, name):
    _, path = saved
    _rewrite(path, lambda raw: raw["metrics"].update({name: "130"}))
    _expect(path, "validation figures")


# --- size bombs: refused before anything is unpacked -------------------------------------------------


def _deflated_zeros(n_bytes: int) -> bytes:
    """A raw deflate stream of `n_bytes` zeros, one compressed MiB repeated: fast to make even for a GiB."""
    block = 2**20
    assert n_bytes % block == 0
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    part = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no back-references
    return part * (n_bytes // block) + deflate.flush()


def _zip_bomb(path, declared_bytes: int):
    """Add a weight to the checkpoint at `path` whose record unpacks to `declared_bytes` zeros from a few
    kB of file: what a crafted file does to an unwary `torch.load` (it allocates and fills it all)."""
    raw = torch.load(path, weights_only=True)
    raw["state_dict"] = {"bomb": torch.zeros(1234), **raw["state_dict"]}  # the first tensor: record data/0
    buffer = io.BytesIO()
    torch.save(raw, buffer)
    source = zipfile.ZipFile(buffer)
    crc, block = 0, bytes(2**20)
    for _ in range(declared_bytes // len(block)):
        crc = zlib.crc32(block, crc)
    with zipfile.ZipFile(path, "w") as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.endswith("/data.pkl"):
                assert data.count(b"M\xd2\x04") == 2  # BININT2 1234: the storage's length and the tensor's
                data = data.replace(b"M\xd2\x04", b"J" + struct.pack("<i", declared_bytes // 4))
            elif entry.filename.endswith("/data/0"):
                data = _deflated_zeros(declared_bytes)
            out.writestr(entry.filename, data)
    # Stored as written; now declare data/0 deflated to its full size, in its local header and in the
    # central directory (the last place its name appears).
    blob = bytearray(path.read_bytes())
    entry = next(e for e in zipfile.ZipFile(path).infolist() if e.filename.endswith("/data/0"))
    for header, method_at, crc_at in ((entry.header_offset, 8, 14), (blob.rfind(entry.filename.encode()) - 46, 10, 16)):
        struct.pack_into("<H", blob, header + method_at, zipfile.ZIP_DEFLATED)
        struct.pack_into("<LLL", blob, header + crc_at, crc, entry.compress_size, declared_bytes)
    path.write_bytes(bytes(blob))
    return path


def test_a_zip_bomb_declaring_a_gigabyte_is_refused_before_unpacking(saved):
    _, path = saved
    _zip_bomb(path, 2**30)
    assert path.stat().st_size < 2**21
    start = time.perf_counter()
    _expect(path, "too large", "1024 MB")
    assert time.perf_counter() - start < 2


def test_a_highly_compressed_entry_is_refused_even_when_small(saved):
    _, path = saved
    _zip_bomb(path, 16 * 2**20)  # under the size bound, but 1000:1 compression betrays a bomb
    _expect(path, "compressed")


def test_a_file_larger_than_any_checkpoint_is_refused_unread(saved):
    _, path = saved
    with open(path, "r+b") as f:
        f.truncate(ckpt.MAX_CHECKPOINT_BYTES + 1)  # sparse: no disk used
    _expect(path, "too large")


def test_a_tiny_conv_file_claiming_huge_images_is_refused(tmp_path, make_model):
    model = make_model("vae", arch="conv")
    path = save_checkpoint(tmp_path / "conv.pt", model, _info(model))
    assert path.stat().st_size < 64 * 1024

    def claim(raw):
        raw["model_config"]["image_shape"] = raw["image_shape"] = [1, 4096, 4096]
        raw["dataset"] = "mine"

    _rewrite(path, claim)
    start = time.perf_counter()
    _expect(path, "image sides must be between 1 and 64")
    assert time.perf_counter() - start < 2


# --- weights and data set --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_weights_that_are_not_finite_are_refused(saved, bad):
    _, path = saved

    def poison(raw):
        raw["state_dict"]["body.1.weight"][0, 0] = bad

    _rewrite(path, poison)
    _expect(path, "weights are not finite numbers")


def test_a_model_whose_images_do_not_match_its_data_set(tmp_path, make_model):
    model = make_model("vae")  # 8×8 digits images
    info = _info(model)
    info.dataset = "mnist"
    path = save_checkpoint(tmp_path / "digits-as-mnist.pt", model, info)
    _expect(path, "mnist", "(1, 28, 28)", "(1, 8, 8)")


# --- saving: failures leave nothing behind; destinations checked first; stale temporaries swept -------


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        RuntimeError("[enforce fail at inline_container.cc:783] . PytorchStreamWriter failed writing file data/0"),
    ],
)
def test_a_failed_write_is_an_oserror_and_leaves_nothing(tmp_path, make_model, monkeypatch, failure):
    model = make_model("vae")

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(torch, "save", fail)
    with pytest.raises(OSError, match="m.pt"):
        save_checkpoint(tmp_path / "m.pt", model, _info(model))
    assert list(tmp_path.iterdir()) == []


def test_weights_that_are_not_finite_are_never_saved(tmp_path, make_model):
    model = make_model("vae")
    with torch.no_grad():
        next(model.parameters())[0, 0] = math.nan
    with pytest.raises(ValueError, match="not finite"):
        save_checkpoint(tmp_path / "m.pt", model, _info(model))
    assert list(tmp_path.iterdir()) == []


def _unwritable_folder():
    folder = Path("/sys/kernel")  # sysfs: no file can be created there, not even by root
    if not folder.is_dir():
        pytest.skip("needs Linux's /sys")
    return folder


@pytest.mark.parametrize(
    "case, message",
    [
        ("folder", "is a folder"),
        ("parent is a file", "is a file"),
        ("exists", "already exists"),
        ("too long", "name too long"),
        ("unwritable", "cannot write there"),
        ("unwritable parent", "cannot create the folder"),
    ],
)
def test_a_bad_destination_is_refused_before_any_work(tmp_path, case, message):
    path = {
        "folder": tmp_path / "a-folder.pt",
        "parent is a file": tmp_path / "file.txt" / "m.pt",
        "exists": tmp_path / "there.pt",
        "too long": tmp_path / ("x" * 300 + ".pt"),
        "unwritable": Path("/sys/kernel/latent-lab.pt"),
        "unwritable parent": Path("/sys/kernel/latent-lab/m.pt"),
    }[case]
    if case.startswith("unwritable"):
        _unwritable_folder()
    (tmp_path / "a-folder.pt").mkdir()
    (tmp_path / "file.txt").write_text("a file")
    (tmp_path / "there.pt").write_bytes(b"precious")
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ckpt.DestinationError, match=message) as err:
        ckpt.check_destination(path, overwrite=False)
    assert str(path.parent) in str(err.value) or path.name in str(err.value)
    assert sorted(tmp_path.iterdir()) == before and (tmp_path / "there.pt").read_bytes() == b"precious"


def test_a_good_destination_is_accepted_and_left_as_it_was(tmp_path):
    path = tmp_path / "new" / "folder" / "m.pt"
    assert ckpt.check_destination(path, overwrite=False) == path
    assert path.parent.is_dir() and list(path.parent.iterdir()) == []  # the probe file is gone
    path.write_bytes(b"old")
    assert ckpt.check_destination(path, overwrite=True) == path
    assert path.read_bytes() == b"old"


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path):
    old = time.time() - 7200

    def make(name, *, age=old, folder=False):
        path = tmp_path / name
        path.mkdir() if folder else path.write_bytes(b"x")
        os.utime(path, (age, age))
        return path

    stale = make(".m.pt.ab_cd123.tmp")
    kept = [
        make(".m.pt.zz_zz999.tmp", age=time.time()),  # a save in progress
        make("m.pt"),
        make(".m.pt"),
        make("m.pt.ab_cd123.tmp"),  # not hidden: not ours
        make(".m.txt.ab_cd123.tmp"),
        make(".m.pt.ab_cd12.tmp"),  # not mkstemp's 8 characters
        make(".d.pt.ab_cd123.tmp", folder=True),
    ]
    assert ckpt.remove_stale_temporaries(tmp_path) == [stale]
    assert not stale.exists() and all(p.exists() for p in kept)
    assert ckpt.remove_stale_temporaries(tmp_path, older_than_s=0) == [kept[0]]
    assert ckpt.remove_stale_temporaries(tmp_path / "missing") == []

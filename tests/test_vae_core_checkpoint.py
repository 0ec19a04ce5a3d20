"""Checkpoints: identical round trip, atomic and non-clobbering saves, a clear error per bad file."""

import os
import pickle

import pytest
import torch

from vae_core import CheckpointError, CheckpointInfo, load_checkpoint, save_checkpoint
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

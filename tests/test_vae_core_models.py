"""Shapes for every model × architecture × data set, and config validation."""

import sys

import pytest
import torch

from vae_core import DATASETS, ModelConfig, build_model, count_parameters, load_dataset, optional
from vae_core.data import DatasetUnavailable
from vae_core.models import evaluation_mode

OFFLINE = [name for name, info in DATASETS.items() if info.offline]


@pytest.mark.parametrize("dataset", OFFLINE)
@pytest.mark.parametrize("arch", ["mlp", "conv"])
@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_output_shapes(kind, arch, dataset):
    shape = DATASETS[dataset].image_shape
    model = build_model(
        ModelConfig(kind=kind, arch=arch, image_shape=shape, latent_dim=5, hidden_dims=(32,), conv_channels=(8, 16))
    )
    x = load_dataset(dataset).val_images[:6]
    assert x.shape == (6, *shape)
    out = model(x)
    assert out[0].shape == x.shape  # logits, one per pixel
    if kind == "vae":
        mu, logvar = model.encode(x)
        assert mu.shape == logvar.shape == (6, 5)
        assert len(out) == 3
    else:
        assert model.encode(x).shape == (6, 5) and len(out) == 2
    assert model.decode(torch.zeros(3, 5)).shape == (3, *shape)


def test_ae_and_vae_share_the_same_backbone():
    ae, vae = (build_model(ModelConfig(kind=k, latent_dim=4)) for k in ("ae", "vae"))
    ae_shapes = {k: v.shape for k, v in ae.state_dict().items() if not k.startswith("to_")}
    vae_shapes = {k: v.shape for k, v in vae.state_dict().items() if not k.startswith("to_")}
    assert ae_shapes == vae_shapes


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"latent_dim": 0}, "latent size must be between 1 and 64"),
        ({"latent_dim": 65}, "latent size must be between 1 and 64"),
        ({"kind": "gan"}, "model kind"),
        ({"arch": "transformer"}, "architecture"),
        ({"arch": "conv", "image_shape": (1, 10, 10)}, "divisible by 4"),
        ({"hidden_dims": (0,)}, "hidden sizes"),
    ],
)
def test_bad_configs_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**kwargs)


def test_config_round_trips_through_a_plain_dict():
    cfg = ModelConfig(kind="ae", arch="conv", latent_dim=7, conv_channels=(4, 8))
    d = cfg.to_dict()
    d["hidden_dims"] = list(d["hidden_dims"])  # as a checkpoint stores it
    assert ModelConfig.from_dict(d) == cfg
    with pytest.raises(ValueError, match="unknown model settings"):
        ModelConfig.from_dict({**cfg.to_dict(), "depth": 3})


def test_datasets_are_in_unit_range_with_a_fixed_split(mnist, digits):
    for data, n_train, n_val in ((mnist, 4500, 500), (digits, 1617, 180)):
        assert len(data.train_images) == n_train and len(data.val_images) == n_val
        assert data.train_images.dtype == torch.float32
        assert 0 <= data.train_images.min() and data.train_images.max() <= 1
        assert data.train_images.max() == 1
        assert set(data.train_labels.tolist()) == set(range(10))
    # The split is seeded: the same images land in validation on every load.
    assert torch.equal(load_dataset.__wrapped__("mnist").val_images, mnist.val_images)


def test_unknown_dataset_names_the_choices():
    with pytest.raises(ValueError, match="choose one of: mnist, digits"):
        load_dataset("cifar")


@pytest.fixture
def without_torchvision(monkeypatch):
    """torchvision as if it were not installed, whatever this machine has; the real answer afterwards."""
    monkeypatch.setitem(sys.modules, "torchvision", None)  # `import torchvision` raises ImportError
    optional._try_import.cache_clear()
    yield
    monkeypatch.undo()
    optional._try_import.cache_clear()


def test_torchvision_datasets_explain_what_is_missing(without_torchvision):
    assert optional.torchvision_or_none() is None and "not usable" in optional.torchvision_problem()
    with pytest.raises(DatasetUnavailable, match="needs torchvision.*'mnist' data set"):
        load_dataset("fashion-mnist")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"latent_dim": 2.0}, "latent size must be a whole number"),
        ({"latent_dim": True}, "latent size must be a whole number"),
        ({"image_shape": (2, 28, 28)}, r"1 \(grey\) or 3 \(colour\) channels"),
        ({"image_shape": (1, 4096, 4096)}, "image sides must be between 1 and 64"),
        ({"image_shape": (1, 28.0, 28)}, "whole number"),
        ({"image_shape": "1,28,28"}, "list of whole numbers"),
        ({"hidden_dims": (1_000_000_000,)}, "hidden sizes must be between 1 and 4096"),
        ({"hidden_dims": (32,) * 5}, "at most 4 hidden layers"),
        ({"hidden_dims": "400"}, "list of whole numbers"),
        ({"arch": "conv", "conv_channels": (8, 512)}, "conv channels must be between 1 and 256"),
        ({"arch": "conv", "image_shape": (1, 64, 64), "conv_channels": (8,) * 5}, "at most 4 conv layers"),
        ({"image_shape": (3, 64, 64), "hidden_dims": (4096,) * 4}, "too large"),
    ],
)
def test_model_sizes_are_bounded(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**kwargs)


def test_the_largest_models_allowed_fit_in_a_checkpoint():
    from vae_core.checkpoint import MAX_CHECKPOINT_BYTES  # noqa: PLC0415
    from vae_core.models import MAX_PARAMETERS  # noqa: PLC0415

    assert MAX_PARAMETERS * 4 < 0.95 * MAX_CHECKPOINT_BYTES  # float32 weights, with room for the rest
    for cfg in (
        ModelConfig(image_shape=(1, 64, 64), hidden_dims=(1024, 1024, 1024, 1024), latent_dim=64),
        ModelConfig(arch="conv", image_shape=(3, 64, 64), conv_channels=(256, 256, 256, 256), latent_dim=64),
    ):
        with torch.device("meta"):
            assert count_parameters(build_model(cfg)) == cfg.n_parameters <= MAX_PARAMETERS


@pytest.mark.parametrize("training", [True, False])
def test_a_measurement_gives_the_model_back_in_its_mode_even_after_an_error(training: bool) -> None:
    model = build_model(ModelConfig(image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(16,))).train(training)
    with evaluation_mode(model):
        assert not model.training
    assert model.training is training
    with pytest.raises(RuntimeError), evaluation_mode(model):
        raise RuntimeError("a measurement that fails")
    assert model.training is training

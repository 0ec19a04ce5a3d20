"""Every model kind behind one set of calls: `sample`, config dispatch, checkpoints of each kind, the
catalog beside them, the comparison figures, the pipeline and the pretraining entries."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.tiny_generative import (
    half_rounded,
    info_of,
    one_thread,  # noqa: F401 - an autouse fixture: one thread for the whole module
    save_tiny,
    tiny_classifier,
    tiny_diffusion,
    tiny_gan,
)
from vae_core import CheckpointError, ModelConfig, load_checkpoint, pretrain, read_checkpoint, save_checkpoint, shipped
from vae_core import generative as gen
from vae_core.catalog import FileVersion, build_catalog
from vae_core.comparison import (
    DOMINANT_SHARE,
    MISSING_SHARE,
    encode_and_decode,
    interpolate_samples,
    measure,
    measure_real,
    mode_collapse,
    shares_of,
    sharpness,
)
from vae_core.diffusion import DiffusionConfig, FlowMatching, generate
from vae_core.evaluator import ClassifierConfig, DigitClassifier
from vae_core.gan import GAN, GANConfig
from vae_core.generative_pipeline import fit_generative, load_evaluator, save_generative
from vae_core.generative_training import SETTINGS_OF_KIND, ClassifierSettings, DiffusionSettings, GanSettings

KINDS = ("ae", "vae", "gan", "diffusion")


@pytest.fixture
def model_of(make_model):
    def build(kind: str, seed: int = 0):
        if kind == "gan":
            return tiny_gan(seed=seed)
        if kind == "diffusion":
            return tiny_diffusion(seed=seed)
        return make_model(kind, latent_dim=3, seed=seed)

    return build


# --- sample -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sample_is_seeded_and_in_range(model_of, kind):
    model = model_of(kind)
    a = gen.sample(model, 5, seed=1)
    assert a.shape == (5, 1, 8, 8) and a.dtype == np.float32
    assert a.min() >= 0 and a.max() <= 1
    assert np.array_equal(a, gen.sample(model, 5, seed=1))
    assert not np.allclose(a, gen.sample(model, 5, seed=2))
    assert gen.sample(model, 0, seed=1).shape == (0, 1, 8, 8)
    assert not model.training


@pytest.mark.parametrize("kind", KINDS)
def test_sample_decodes_the_documented_noise(model_of, kind, monkeypatch):
    """The AE/VAE decode N(0, I) codes into Bernoulli means, the GAN maps z, the diffusion model
    runs its sampler; the noise is torch's N(0, I) from the seed, drawn on the CPU."""
    model = model_of(kind).eval()
    noise = torch.randn(7, *gen.latent_size(model), generator=torch.Generator().manual_seed(4))
    assert np.array_equal(gen.starting_noise(model, 7, seed=4), noise.numpy())
    with torch.no_grad():
        if kind == "gan":
            expected = model.images(noise)
        elif kind == "diffusion":
            expected = generate(model, noise)
        else:
            expected = torch.sigmoid(model.decode(noise))
    got = gen.sample(model, 7, seed=4)
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-5, atol=1e-6)
    monkeypatch.setattr(gen, "SAMPLE_BATCH", 3)  # batches of 3, 3 and 1 give the same pictures
    np.testing.assert_allclose(gen.sample(model, 7, seed=4), got, rtol=1e-5, atol=1e-6)


def test_latent_sizes(model_of):
    assert gen.latent_size(model_of("vae")) == (3,)
    assert gen.latent_size(model_of("gan")) == (4,)
    assert gen.latent_size(model_of("diffusion")) == (1, 8, 8)  # noise images


def test_the_diffusion_sampler_steps_can_be_chosen(model_of):
    model = model_of("diffusion")
    default = gen.sample(model, 2, seed=0)
    assert np.array_equal(default, gen.sample(model, 2, seed=0, steps=model.config.sampler_steps))
    assert not np.array_equal(default, gen.sample(model, 2, seed=0, steps=2))


@pytest.mark.parametrize("n", [-1, 100_001])
def test_a_number_of_samples_out_of_range(model_of, n):
    with pytest.raises(ValueError, match="number of samples must be between 0 and 100000"):
        gen.sample(model_of("gan"), n, seed=0)


def test_sampling_seconds(model_of):
    assert 0 < gen.sampling_seconds(model_of("gan"), 4, repeats=2) < 10


# --- configs of every kind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "cls"),
    [
        (ModelConfig(kind="ae"), "Autoencoder"),
        (ModelConfig(kind="vae"), "VAE"),
        (GANConfig(), "GAN"),
        (DiffusionConfig(channels=(8, 8, 16), time_dim=16), "FlowMatching"),
        (ClassifierConfig(), "DigitClassifier"),
    ],
)
def test_config_dispatch_by_kind(config, cls):
    again = gen.config_from_dict(config.to_dict())
    assert again == config and type(again) is type(config)
    model = gen.build(again)
    assert type(model).__name__ == cls and model.config == config


def test_a_dict_without_a_kind_is_a_vae():
    data = ModelConfig(kind="vae").to_dict()
    del data["kind"]
    assert gen.config_from_dict(data) == ModelConfig(kind="vae")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"kind": "dragon"}, "model kind must be one of ae, vae, gan, diffusion, classifier, cvae, not 'dragon'"),
        ({"kind": 3}, "model kind must be one of"),
        ({**GANConfig().to_dict(), "colour": "red"}, "unknown model settings: 'colour'"),
        ({"kind": "diffusion", "channels": [30, 64, 96]}, "U-Net channels must be three multiples of 8"),
        ([1, 2], "model settings must be a dict"),
    ],
)
def test_bad_config_dicts_name_what_is_wrong(data, fragment):
    with pytest.raises(ValueError, match=fragment):
        gen.config_from_dict(data)


# --- checkpoints of every kind ----------------------------------------------------------------------------


def _rewrite(path: Path, change) -> None:
    raw = torch.load(path, weights_only=True)
    change(raw)
    torch.save(raw, path)


@pytest.mark.parametrize(
    ("make", "cls", "settings"),
    [
        (tiny_gan, GAN, GanSettings(epochs=3)),
        (tiny_diffusion, FlowMatching, DiffusionSettings(epochs=3)),
        (tiny_classifier, DigitClassifier, ClassifierSettings(epochs=3)),
    ],
)
def test_each_kind_loads_as_itself_with_its_own_settings(tmp_path, make, cls, settings):
    model = make()
    path = save_tiny(tmp_path / "m.pt", model, train_settings=settings.to_dict(), metrics={"fd": 12.5})
    loaded, info = load_checkpoint(path)
    assert type(loaded) is cls and info.config == model.config and info.settings == settings
    assert info.metrics == {"fd": 12.5}
    expected = half_rounded(model)
    assert set(loaded.state_dict()) == set(expected)
    for k, v in loaded.state_dict().items():
        assert v.dtype == torch.float32 and torch.equal(v, expected[k]), k


def test_an_unknown_key_in_a_checkpoints_model_config_is_named(tmp_path):
    path = save_tiny(tmp_path / "gan.pt", tiny_gan())
    _rewrite(path, lambda raw: raw["model_config"].update(colour="red"))
    with pytest.raises(CheckpointError, match="unknown model settings: 'colour'"):
        read_checkpoint(path)


def test_a_checkpoint_whose_kind_does_not_match_its_weights(tmp_path):
    path = save_tiny(tmp_path / "diffusion.pt", tiny_diffusion())
    gan_config = tiny_gan().config.to_dict()
    _rewrite(path, lambda raw: raw.update(model_config=gan_config))
    with pytest.raises(CheckpointError, match="weights do not match the model described in the file"):
        load_checkpoint(path)


def test_an_unknown_kind_in_a_checkpoint(tmp_path):
    path = save_tiny(tmp_path / "gan.pt", tiny_gan())
    _rewrite(path, lambda raw: raw["model_config"].update(kind="dragon"))
    with pytest.raises(CheckpointError, match="model kind must be one of"):
        read_checkpoint(path)


def test_bad_training_settings_of_a_gan_are_refused_when_read(tmp_path):
    path = save_tiny(tmp_path / "gan.pt", tiny_gan(), train_settings={"loss": "x", "epochs": 2})
    with pytest.raises(CheckpointError, match="training settings: GAN loss must be nonsaturating or hinge"):
        read_checkpoint(path)
    odd = save_tiny(tmp_path / "odd.pt", tiny_gan(), train_settings={"loss": "hinge", "future_switch": 1})
    assert read_checkpoint(odd)[1].settings == GanSettings(loss="hinge")  # unknown names are ignored


# --- the AE/VAE catalog beside them ------------------------------------------------------------------------


def _read_info(version: FileVersion):
    return read_checkpoint(version.path)[1]


def test_the_catalog_leaves_other_kinds_out(tmp_path, make_model):
    shipped_dir, trained = tmp_path / "shipped", tmp_path / "trained"
    for kind in ("ae", "vae"):
        model = make_model(kind, latent_dim=2)
        save_checkpoint(shipped_dir / f"{kind}.pt", model, info_of(model))
        save_checkpoint(trained / f"own-{kind}.pt", model, info_of(model))
    others = {"gan": tiny_gan(), "diffusion": tiny_diffusion(), "classifier": tiny_classifier()}
    for name, model in others.items():
        save_tiny(shipped_dir / f"{name}.pt", model)
        save_tiny(trained / f"{name}.pt", model)
    own = {str(trained / "own-ae.pt"): "run1", str(trained / "own-vae.pt"): "run1", str(trained / "gan.pt"): "run2"}
    found = build_catalog(
        shipped_dir=shipped_dir, trained_dir=trained, own_runs=own, include_others=True, read_info=_read_info
    )
    assert not found.broken
    assert [(p.source, p.kinds) for p in found.pairs] == [("shipped", ["ae", "vae"]), ("session", ["ae", "vae"])]
    assert found.pair_of_run("run2") is None
    names = {i.file.name for p in found.pairs for i in (p.ae, p.vae) if i is not None}
    assert names == {"ae.pt", "vae.pt", "own-ae.pt", "own-vae.pt"}


# --- comparison ----------------------------------------------------------------------------------------------


def test_sharpness_is_the_mean_squared_laplacian(digits):
    sharp = digits.val_images[:20].numpy()
    kernel = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
    lap = [
        (kernel * img[0, r : r + 3, c : c + 3]).sum() for img in sharp[:2] for r in range(6) for c in range(6)
    ]  # 'valid' 3×3 windows of an 8×8 image
    assert sharpness(sharp[:2]) == pytest.approx(float(np.mean(np.square(lap))), rel=1e-5)
    assert sharpness(sharp[:2, 0]) == pytest.approx(sharpness(sharp[:2]))  # (N, H, W) too
    blurred = torch.nn.functional.avg_pool2d(torch.as_tensor(sharp), 3, stride=1, padding=1).numpy()
    assert sharpness(blurred) < 0.5 * sharpness(sharp)
    assert sharpness(np.full((2, 1, 8, 8), 0.7)) == pytest.approx(0.0, abs=1e-10)


def test_mode_collapse_from_class_shares():
    assert not mode_collapse(np.full(10, 0.1)).collapsed
    half = np.array([0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0])
    assert mode_collapse(half).missing == (5, 6, 7, 8, 9) and mode_collapse(half).dominant is None
    taken = np.array([0.55] + [0.05] * 9)
    assert mode_collapse(taken).missing == () and mode_collapse(taken).dominant == 0
    assert mode_collapse(taken).collapsed
    edge = np.array([DOMINANT_SHARE - 1e-9, MISSING_SHARE, 0.5 - MISSING_SHARE + 1e-9] + [0.0] * 7)
    assert mode_collapse(edge).dominant is None and 1 not in mode_collapse(edge).missing
    figures = {f"share_{i}": s for i, s in enumerate(taken)}
    np.testing.assert_allclose(shares_of(figures), taken)


@pytest.mark.parametrize("kind", KINDS)
def test_interpolation_runs_between_the_seeds_samples(model_of, kind):
    model = model_of(kind)
    path = interpolate_samples(model, 3, 8, 5)
    assert path.shape == (5, 1, 8, 8) and path.min() >= 0 and path.max() <= 1
    np.testing.assert_allclose(path[0], gen.sample(model, 1, seed=3)[0], atol=1e-5)
    np.testing.assert_allclose(path[-1], gen.sample(model, 1, seed=8)[0], atol=1e-5)
    assert interpolate_samples(model, 3, 8, 5, method="linear").shape == (5, 1, 8, 8)


@pytest.mark.parametrize("kind", KINDS)
def test_a_finer_path_keeps_every_image_of_the_coarser_one(model_of, kind):
    # The comparison page draws 9 images once and shows 5 or 3 of them: that must be the 5- or 3-image path.
    model = model_of(kind)
    finest = interpolate_samples(model, 3, 8, 9)
    np.testing.assert_allclose(finest[::2], interpolate_samples(model, 3, 8, 5), atol=1e-5)
    np.testing.assert_allclose(finest[::4], interpolate_samples(model, 3, 8, 3, method="spherical"), atol=1e-5)


def test_interpolation_steps_out_of_range(model_of):
    with pytest.raises(ValueError, match="steps must be from 2 to 64"):
        interpolate_samples(model_of("gan"), 0, 1, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_encode_and_decode(model_of, kind, digits):
    model = model_of(kind)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    image = digits.val_images[0].numpy()
    enc = encode_and_decode(model, image, seed=1)
    assert enc.reconstruction.shape == (1, 8, 8)
    assert enc.error == pytest.approx(float(((enc.reconstruction - image) ** 2).mean()), rel=1e-5)
    assert enc.seconds > 0
    expected_steps = {"ae": 1, "vae": 1, "gan": 200, "diffusion": 4 * 4 - 1}  # 4 Heun steps each way, the last Euler
    assert enc.steps == expected_steps[kind]
    if kind == "gan":
        assert len(enc.errors) == 200 and enc.errors[-1] < enc.errors[0]
    else:
        assert enc.errors == ()
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k  # the shared model is only read


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")  # an untrained evaluator's dead features
def test_measure_records_every_figure(model_of, digits):
    evaluator = tiny_classifier()
    figures = measure(model_of("gan"), evaluator, digits, n=300)
    shares = shares_of(figures)
    assert shares.sum() == pytest.approx(1.0) and figures["n_samples"] == 300
    assert {"fd", "precision", "recall", "nearest_train", "sharpness", "sample_ms"} <= set(figures)
    assert all(math.isfinite(v) for v in figures.values())
    real = measure_real(evaluator, digits)
    assert real["nearest_train"] == 0.0 and real["n_samples"] == len(digits.train_images)
    assert "sample_ms" not in real


# --- the pipeline ------------------------------------------------------------------------------------------


def test_fit_and_save_an_evaluator(tmp_path):
    config = ClassifierConfig(image_shape=(1, 8, 8), channels=(4, 8), feature_dim=8)
    trained = fit_generative(config=config, settings=ClassifierSettings(epochs=1), dataset="digits", device="cpu")
    assert 0 <= trained.info.metrics["val_accuracy"] <= 1 and trained.info.metrics["epochs_completed"] == 1
    assert trained.info.train_settings == ClassifierSettings(epochs=1).to_dict()
    path = save_generative(trained, tmp_path / "evaluator" / "c.pt")
    loaded = load_evaluator(path)
    assert loaded.config == config
    raw = torch.load(path, weights_only=True)
    assert all(v.dtype == torch.float16 for v in raw["state_dict"].values())  # stored as the shipped ones


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")
def test_fit_a_gan_measured_by_an_evaluator(monkeypatch):
    monkeypatch.setattr("vae_core.generative_pipeline.measure", lambda m, e, d: measure(m, e, d, n=300))
    config = GANConfig(image_shape=(1, 8, 8), latent_dim=4, width=8)
    trained = fit_generative(
        config=config,
        settings=GanSettings(epochs=1, batch_size=256),
        dataset="digits",
        evaluator=tiny_classifier(),
        device="cpu",
    )
    assert isinstance(trained.model, GAN) and not trained.model.training
    assert trained.result.steps == 7 and {"fd", "precision", "recall", "share_0"} <= set(trained.info.metrics)


def test_fit_refuses_settings_of_another_kind_and_other_images():
    with pytest.raises(ValueError, match="DiffusionSettings do not train a gan"):
        fit_generative(config=GANConfig(image_shape=(1, 8, 8)), settings=DiffusionSettings(), dataset="digits")
    with pytest.raises(ValueError, match=r"the model takes \(1, 28, 28\) images, but digits's are \(1, 8, 8\)"):
        fit_generative(config=GANConfig(), settings=GanSettings(), dataset="digits")


# --- pretraining's entries ----------------------------------------------------------------------------------


def test_pretraining_builds_exactly_the_shipped_generative_files():
    files = pretrain.generative_files()
    assert set(files) == {
        shipped.EVALUATOR_FILE,
        shipped.GAN_16D_FILE,
        shipped.GAN_2D_FILE,
        shipped.COLLAPSING_GAN_FILE,
        shipped.DIFFUSION_FILE,
        shipped.CONDITIONAL_FILE,
    }
    assert next(iter(files)) == shipped.EVALUATOR_FILE  # first: the others are measured with it
    folders = {"evaluator": ("classifier",), "generative": ("gan", "diffusion"), "conditional": ("cvae",)}
    for name, spec in files.items():
        assert spec.config.kind in folders[name.split("/")[0]], name
        assert type(spec.settings) is SETTINGS_OF_KIND[spec.config.kind], name
        assert spec.config.image_shape == (1, 28, 28)  # MNIST
    for name in shipped.COMPARED.values():  # every compared model is built by pretraining
        assert name in pretrain.shipped_files() or name in files, name
    assert files[shipped.GAN_2D_FILE].config.latent_dim == 2


def test_only_an_unknown_generative_name_exits_with_a_message(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        pretrain.main(["--only", "generative/mnist-gan-99d", "--out", str(tmp_path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "unknown checkpoint(s) generative/mnist-gan-99d.pt" in err and "generative/mnist-gan-16d" in err
    assert not any(tmp_path.iterdir())


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")
def test_measure_records_the_figures_of_the_compared_models_present(tmp_path, monkeypatch, capsys):
    """`--measure`: the evaluator in the folder measures each compared model there and stores the
    figures, weights untouched; the compared models that are missing are skipped."""
    monkeypatch.setattr(pretrain, "measure", lambda m, e, d: measure(m, e, d, n=200))
    save_tiny(tmp_path / shipped.EVALUATOR_FILE, tiny_classifier(image_shape=(1, 28, 28)), dataset="mnist")
    gan_path = save_tiny(tmp_path / shipped.GAN_16D_FILE, tiny_gan(image_shape=(1, 28, 28)), dataset="mnist")
    weights = read_checkpoint(gan_path)[0]
    assert pretrain.main(["--measure", "--out", str(tmp_path)]) == 0
    state, info = read_checkpoint(gan_path)
    assert {"fd", "precision", "recall", "sample_ms", "share_9"} <= set(info.metrics)
    assert all(torch.equal(v, weights[k]) for k, v in state.items())
    printed = capsys.readouterr().out
    assert shipped.GAN_16D_FILE in printed and shipped.DIFFUSION_FILE not in printed
    assert pretrain.record_comparison(tmp_path / "empty", tiny_classifier(image_shape=(1, 28, 28))) == []

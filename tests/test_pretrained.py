"""The checkpoints shipped in checkpoints/: present, small, fair pairs, figures that reproduce."""

from dataclasses import replace

import pytest

from vae_core import evaluate, load_checkpoint, load_dataset
from vae_core.pipeline import fit
from vae_core.pretrain import CHECKPOINT_DIR, PLAIN_RECIPE, SHIPPED, shipped_files

FILES = sorted(shipped_files())


def test_every_shipped_checkpoint_is_there_and_all_fit_in_10_mb():
    present = sorted(p.name for p in CHECKPOINT_DIR.glob("*.pt"))
    assert present == FILES
    total = sum((CHECKPOINT_DIR / name).stat().st_size for name in FILES)
    assert total < 10 * 1024 * 1024, f"{total / 2**20:.1f} MB"


@pytest.mark.parametrize("name", FILES)
def test_recorded_validation_figure_reproduces_within_1_percent(name):
    model, info = load_checkpoint(CHECKPOINT_DIR / name)
    spec, kind = shipped_files()[name]
    assert info.config == replace(spec.model, kind=kind) and info.dataset == spec.dataset
    assert info.settings == spec.settings  # trained with the recipe that pretrain.py states
    assert info.metrics["split"] == "validation" and not info.metrics["stopped_early"]
    assert len(info.history) == spec.settings.epochs
    ev = evaluate(model, load_dataset(info.dataset).val_images)
    key = "elbo" if kind == "vae" else "recon"
    recorded = info.metrics[key]
    assert getattr(ev, key) == pytest.approx(recorded, rel=0.01)


@pytest.mark.parametrize("spec", SHIPPED, ids=lambda s: s.file_name("pair"))
def test_each_pair_was_trained_with_identical_settings(spec):
    (_, ae), (_, vae) = (load_checkpoint(CHECKPOINT_DIR / spec.file_name(k)) for k in ("ae", "vae"))
    assert replace(ae.config, kind="vae") == vae.config
    assert ae.train_settings == vae.train_settings
    assert ae.dataset == vae.dataset


def test_shipped_2d_vae_beats_the_plain_recipe_by_5_nats():
    """784-400-2 MLP, Adam 1e-3, batch 128, 30 epochs, trained here on the same split."""
    _, ours = load_checkpoint(CHECKPOINT_DIR / SHIPPED[0].file_name("vae"))
    assert ours.config.latent_dim == 2 and ours.dataset == "mnist"
    plain = fit(dataset="mnist", model_config=PLAIN_RECIPE.model, settings=PLAIN_RECIPE.settings, device="cpu")
    gain = ours.metrics["elbo"] - plain.validation.elbo
    assert gain >= 5.0, f"only {gain:.2f} nats better than the plain recipe ({plain.validation.elbo:.2f})"

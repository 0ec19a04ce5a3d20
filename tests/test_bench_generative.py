"""bench/bench_generative.py stays runnable: both training loops take a step on tiny data, and the
model table reads a folder of checkpoints. Timings are printed by the bench, never asserted here."""

from __future__ import annotations

import math

import pytest
import torch

from bench import bench_generative as bench
from tests.tiny_generative import (
    one_thread,  # noqa: F401 - an autouse fixture: one thread for the whole module
    save_tiny,
    tiny_diffusion,
    tiny_gan,
)
from vae_core.shipped import COMPARED, DIFFUSION_FILE, GAN_16D_FILE

FIGURES = {"fd": 1.5, "precision": 0.5, "recall": 0.25, "share_0": 1.0}


@pytest.mark.parametrize("loop", ["reference", "ours"])
def test_each_training_loop_takes_a_step_on_both_nets(digits, loop):
    model = tiny_gan()
    start = {k: v.clone() for k, v in model.state_dict().items()}
    images = digits.train_images[: bench.DCGAN_BATCH]  # one minibatch: one step
    lines = []
    if loop == "reference":
        seconds = bench.reference_dcgan(model, images, epochs=1, log=lines.append)
        assert len(lines) == 1 and lines[0].startswith("[0/1][0/1] Loss_D: ")
        losses = [float(part.split()[0]) for part in lines[0].split(": ")[1:3]]
        assert all(math.isfinite(v) and v > 0 for v in losses)
    else:
        seconds = bench.ours(model, images, epochs=1)
    assert len(seconds) == 1 and seconds[0] > 0
    after = model.state_dict()
    for net in ("generator", "discriminator"):
        assert any(not torch.equal(start[k], after[k]) for k in start if k.startswith(net)), net


def test_the_reference_loop_scores_real_images_as_dcgan_does(digits):
    """D(x) is the mean sigmoid of the discriminator on the batch normalised to [−1, 1] (a mean, so
    the loader's shuffling does not matter); its loss on those images, BCE against label 1, is at least
    −log D(x) (Jensen)."""
    model, twin = tiny_gan(), tiny_gan()
    lines = []
    bench.reference_dcgan(model, digits.train_images[:16], epochs=1, batch_size=16, log=lines.append)
    with torch.no_grad():
        d_real = torch.sigmoid(twin.train().score((digits.train_images[:16] - 0.5) / 0.5))
    d_x = float(lines[0].split("D(x): ")[1].split()[0])
    assert d_x == pytest.approx(float(d_real.mean()), abs=1e-4)
    loss_d = float(lines[0].split("Loss_D: ")[1].split()[0])
    assert loss_d >= -math.log(d_x) - 1e-3


def test_the_model_table_reads_the_compared_checkpoints_present(tmp_path, capsys):
    save_tiny(tmp_path / GAN_16D_FILE, tiny_gan(image_shape=(1, 28, 28)), dataset="mnist", metrics=FIGURES)
    save_tiny(tmp_path / DIFFUSION_FILE, tiny_diffusion(image_shape=(1, 28, 28), sampler_steps=1), dataset="mnist")
    rows, missing = bench.compared_models(tmp_path, repeats=1)
    assert [r.name for r in rows] == [GAN_16D_FILE, DIFFUSION_FILE]
    assert set(missing) == set(COMPARED.values()) - {GAN_16D_FILE, DIFFUSION_FILE}
    assert [r.n_timed for r in rows] == [bench.GAN_SAMPLES, bench.DIFFUSION_SAMPLES]
    assert all(r.ms_per_sample > 0 for r in rows)
    bench.print_models(rows, missing)
    out = capsys.readouterr().out
    assert f"{GAN_16D_FILE}: 64 samples in" in out and f"{DIFFUSION_FILE}: 16 samples in" in out
    assert "FD      1.5  P 0.50  R 0.25  shares % [100   0" in out  # the GAN's recorded figures
    assert "(no figures recorded" in out and "(no checkpoint)" in out  # none for the diffusion model

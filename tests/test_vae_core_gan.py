"""The GAN: shapes, its losses against their formulas, DiffAugment's translation against torch.roll,
inversion, the training loop (seeded, stoppable, lowering the losses) and its checkpoint."""

from __future__ import annotations

import math

import pytest
import torch
from torch.nn import functional as F

from tests.tiny_generative import (
    StopAfter,
    half_rounded,
    one_thread,  # noqa: F401 - an autouse fixture: one thread for the whole module
    save_tiny,
    tiny_gan,
)
from vae_core import load_checkpoint
from vae_core.gan import GAN, GANConfig, discriminator_loss, generator_loss, invert, translate
from vae_core.generative_training import GanSettings, train_gan


@pytest.mark.parametrize("arch", ["conv", "mlp"])
def test_shapes_and_ranges(arch):
    model = tiny_gan(arch=arch, latent_dim=3).eval()
    z = torch.randn(5, 3)
    raw, images = model.generate(z), model.images(z)
    assert raw.shape == images.shape == (5, 1, 8, 8)
    assert raw.min() >= -1 and raw.max() <= 1 and images.min() >= 0 and images.max() <= 1
    torch.testing.assert_close(images, (raw + 1) / 2)
    assert model.score(images).shape == (5,)


def test_a_colour_gan_of_other_sides():
    model = tiny_gan(image_shape=(3, 12, 16)).eval()
    assert model.images(torch.randn(2, 4)).shape == (2, 3, 12, 16)
    assert model.score(torch.rand(2, 3, 12, 16)).shape == (2,)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"latent_dim": 0}, "latent size must be between 1 and 128, not 0"),
        ({"latent_dim": 2.5}, "latent size"),
        ({"width": 4}, "GAN width must be between 8"),
        ({"arch": "resnet"}, "GAN architecture must be 'conv' or 'mlp'"),
        ({"kind": "vae"}, "a GAN config's kind must be 'gan', not 'vae'"),
        ({"spectral_norm": 1}, "spectral norm must be true or false"),
        ({"image_shape": (2, 8, 8)}, "image shape must be (1 or 3 channels"),
        ({"image_shape": (1, 10, 10)}, "multiples of 4 for the conv nets"),
    ],
)
def test_bad_configs_name_the_setting(changes, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        GANConfig(**changes)


def test_an_mlp_takes_sides_that_are_not_multiples_of_4():
    assert GANConfig(arch="mlp", image_shape=(1, 10, 10)).image_shape == (1, 10, 10)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"loss": "x"}, "GAN loss must be nonsaturating or hinge, not 'x'"),
        ({"label_smoothing": 0.5}, "label smoothing must be in"),
        ({"augment_shift": 9}, "augmentation shift must be 0 to 8 pixels"),
        ({"adam_beta1": 1.0}, "Adam β1"),
        ({"ema_decay": 1.0}, "moving average"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"lr": 0.0}, "learning rate"),
        ({"batch_size": 0}, "batch size"),
    ],
)
def test_bad_settings_name_the_setting(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        GanSettings(**changes)


def test_losses_match_their_formulas():
    torch.manual_seed(0)
    r, f = torch.randn(7) * 2, torch.randn(7) * 2
    s = 0.1
    log_sig = F.logsigmoid
    # Goodfellow's D loss with one-sided smoothing: BCE against 0.9 on real, against 0 on fake
    expected = -((1 - s) * log_sig(r) + s * log_sig(-r)).mean() - log_sig(-f).mean()
    torch.testing.assert_close(discriminator_loss(r, f, "nonsaturating", s), expected)
    torch.testing.assert_close(discriminator_loss(r, f, "nonsaturating"), -log_sig(r).mean() - log_sig(-f).mean())
    hinge = torch.clamp(1 - r, min=0).mean() + torch.clamp(1 + f, min=0).mean()
    torch.testing.assert_close(discriminator_loss(r, f, "hinge", s), hinge)  # smoothing is for the BCE alone
    torch.testing.assert_close(generator_loss(f, "nonsaturating"), -log_sig(f).mean())  # −log D(G(z))
    torch.testing.assert_close(generator_loss(f, "hinge"), -f.mean())


def _roll_and_zero(image: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """The reference translation: torch.roll, then zero what wrapped round."""
    out = torch.roll(image, shifts=(dy, dx), dims=(-2, -1)).clone()
    if dy > 0:
        out[..., :dy, :] = 0
    elif dy < 0:
        out[..., dy:, :] = 0
    if dx > 0:
        out[..., :, :dx] = 0
    elif dx < 0:
        out[..., :, dx:] = 0
    return out


def test_translate_moves_each_image_as_roll_and_zeroing_do():
    """Channel 0 is a one-pixel probe at the centre: where it lands tells the shift drawn for that
    image; channel 1 (random pixels) must then be that shift of its input, zero-filled."""
    n, h, w, shift = 300, 8, 8, 2
    x = torch.zeros(n, 2, h, w)
    x[:, 0, 4, 4] = 1.0
    x[:, 1] = torch.rand(n, h, w) + 0.1  # no zeros inside: a zero in the output is a pixel that came in
    out = translate(x, shift, torch.Generator().manual_seed(3))
    assert out.shape == x.shape
    seen = set()
    for i in range(n):
        assert out[i, 0].sum() == 1.0  # the probe moved, whole, to one pixel
        row, col = divmod(int(out[i, 0].argmax()), w)
        dy, dx = row - 4, col - 4
        assert abs(dy) <= shift and abs(dx) <= shift
        seen.add((dy, dx))
        assert torch.equal(out[i, 1], _roll_and_zero(x[i, 1], dy, dx))
    assert len(seen) == (2 * shift + 1) ** 2  # every shift in the window is drawn
    again = translate(x, shift, torch.Generator().manual_seed(3))
    assert torch.equal(out, again)  # the generator decides the shifts


def test_translate_by_a_known_shift():
    """A one-pixel image and the shift the seeded generator draws, (dx, dy) in that order."""
    x = torch.zeros(4, 1, 8, 8)
    x[:, 0, 3, 5] = 1.0
    dx, dy = torch.randint(-3, 4, (2, 4, 1, 1), generator=torch.Generator().manual_seed(11)).flatten(1)
    out = translate(x, 3, torch.Generator().manual_seed(11))
    for i in range(4):
        expected = torch.zeros(8, 8)
        if 0 <= 3 + dy[i] < 8 and 0 <= 5 + dx[i] < 8:
            expected[3 + dy[i], 5 + dx[i]] = 1.0
        assert torch.equal(out[i, 0], expected)


def test_translate_by_nothing_is_the_identity():
    x = torch.rand(3, 1, 8, 8)
    assert translate(x, 0) is x


def test_gradients_flow_through_translate():
    x = torch.rand(4, 1, 6, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda v: translate(v, 2, torch.Generator().manual_seed(5)), (x,))
    out = translate(x, 2, torch.Generator().manual_seed(5))
    (grad,) = torch.autograd.grad(out.sum(), x)
    # each input pixel lands on at most one output pixel: gradient 1 where it stays in view, else 0
    kept = translate(torch.ones_like(x), 2, torch.Generator().manual_seed(5)).sum()
    assert set(grad.unique().tolist()) <= {0.0, 1.0} and grad.sum() == kept


def test_invert_lowers_the_pixel_error_and_leaves_the_model_alone():
    model = tiny_gan(latent_dim=4).eval()
    with torch.no_grad():
        target = model.images(torch.randn(3, 4, generator=torch.Generator().manual_seed(9)))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    flags = [p.requires_grad for p in model.parameters()]
    with torch.no_grad():  # as encode_and_decode calls it
        z, errors = invert(model, target, steps=60, lr=0.05, seed=1)
    assert z.shape == (3, 4) and not z.requires_grad and len(errors) == 60
    assert errors[-1] < 0.5 * errors[0]
    with torch.no_grad():
        final = float(((model.images(z) - target) ** 2).mean())
    assert final < errors[0] / 4  # errors are on [−1, 1] images, four times the [0, 1] error
    assert [p.requires_grad for p in model.parameters()] == flags
    assert all(p.grad is None for p in model.parameters())
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k
    z_again, errors_again = invert(model, target, steps=60, lr=0.05, seed=1)
    assert torch.equal(z, z_again) and errors == errors_again


def test_standing_statistics_are_the_mean_of_fresh_batches():
    model = tiny_gan(latent_dim=4).eval()
    model.standing_statistics(batches=3, batch_size=50, seed=2)
    gen = torch.Generator().manual_seed(2)
    head = model.generator[:2]  # Linear and Unflatten: what the first BatchNorm sees
    means, variances = [], []
    with torch.no_grad():
        for _ in range(3):
            a = head(torch.randn(50, 4, generator=gen))
            means.append(a.mean((0, 2, 3)))
            variances.append(a.var((0, 2, 3), unbiased=True))  # running_var is the unbiased estimate
    first = model.generator[2]
    torch.testing.assert_close(first.running_mean, torch.stack(means).mean(0))
    torch.testing.assert_close(first.running_var, torch.stack(variances).mean(0))
    assert first.momentum == 0.1 and not model.training


@pytest.mark.parametrize("loss", ["nonsaturating", "hinge"])
def test_discriminator_steps_lower_its_loss_on_a_fixed_batch(digits, loss):
    model = tiny_gan().train()
    real = digits.train_images[:32] * 2 - 1
    with torch.no_grad():
        fake = model.generate(torch.randn(32, 4, generator=torch.Generator().manual_seed(0)))
    opt = torch.optim.Adam(model.discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))

    def d_loss() -> torch.Tensor:
        return discriminator_loss(model.score(real), model.score(fake), loss, 0.1)

    first = d_loss().item()
    for _ in range(10):
        opt.zero_grad()
        d_loss().backward()
        opt.step()
    assert d_loss().item() < 0.8 * first


def test_generator_steps_lower_its_loss_against_a_fixed_discriminator():
    model = tiny_gan().train()
    z = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
    opt = torch.optim.Adam(model.generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
    first = generator_loss(model.score(model.generate(z)), "nonsaturating").item()
    for _ in range(10):
        opt.zero_grad()
        generator_loss(model.score(model.generate(z)), "nonsaturating").backward()
        opt.step()
    assert generator_loss(model.score(model.generate(z)), "nonsaturating").item() < first


QUICK = GanSettings(epochs=2, batch_size=16)


def _trained(digits, settings=QUICK, seed=0, **kw):
    model = tiny_gan(seed=seed)
    result = train_gan(model, digits.train_images[:48], settings=settings, device="cpu", **kw)
    return model, result


def test_training_is_seeded(digits):
    a, result = _trained(digits)
    b, _ = _trained(digits)
    c, _ = _trained(digits, GanSettings(epochs=2, batch_size=16, seed=1))
    assert result.steps == 6 and result.epochs_completed == 2 and not result.stopped
    assert [set(row) for row in result.history] == [{"epoch", "loss", "d_loss", "seconds"}] * 2
    assert all(math.isfinite(row["loss"]) and math.isfinite(row["d_loss"]) for row in result.history)
    for k, v in a.state_dict().items():
        assert torch.equal(v, b.state_dict()[k]), k
    assert any(not torch.equal(v, c.state_dict()[k]) for k, v in a.state_dict().items())
    assert not a.training


def test_training_changes_both_nets_and_reports_every_step(digits):
    start = tiny_gan().state_dict()
    steps = []
    model, _ = _trained(digits, GanSettings(epochs=1, batch_size=16, ema_decay=0.0), on_step=steps.append)
    after = model.state_dict()
    for net in ("generator", "discriminator"):
        assert any(not torch.equal(v, after[k]) for k, v in start.items() if k.startswith(net)), net
    assert [s.step for s in steps] == [1, 2, 3] and {s.total_steps for s in steps} == {3}
    assert all(math.isfinite(s.loss) and math.isfinite(s.other) for s in steps)


def test_a_stop_request_stops_between_steps(digits):
    flag = StopAfter(2)
    _, result = _trained(digits, GanSettings(epochs=5, batch_size=16), on_step=flag.on_step, stop=flag)
    assert result.stopped and result.steps == 2 and result.epochs_completed == 0 and result.history == []


@pytest.mark.parametrize("arch", ["conv", "mlp"])
def test_checkpoint_round_trip(tmp_path, digits, arch):
    model = tiny_gan(arch=arch)
    train_gan(model, digits.train_images[:32], settings=GanSettings(epochs=1, batch_size=16), device="cpu")
    path = save_tiny(tmp_path / "gan.pt", model, train_settings=QUICK.to_dict())
    loaded, info = load_checkpoint(path)
    assert isinstance(loaded, GAN) and loaded.kind == info.config.kind == "gan" and not loaded.training
    assert info.config == model.config and info.settings == QUICK
    reference = tiny_gan(arch=arch)
    reference.load_state_dict(half_rounded(model))
    reference.eval()
    z, x = torch.randn(6, 4), digits.val_images[:6]
    with torch.no_grad():
        assert torch.equal(loaded.images(z), reference.images(z))
        assert torch.equal(loaded.score(x), reference.score(x))
        torch.testing.assert_close(loaded.images(z), model.eval().images(z), atol=2e-2, rtol=0)

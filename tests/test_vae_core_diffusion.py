"""The flow-matching model: the U-Net's shapes, the loss and the Heun sampler against their formulas,
the reversible ODE (invert then generate gives the digit back), the training loop and its checkpoint."""

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
    tiny_diffusion,
)
from vae_core import load_checkpoint
from vae_core.diffusion import (
    DiffusionConfig,
    FlowMatching,
    flow_matching_loss,
    generate,
    integrate,
    invert,
    reverse_path,
    time_embedding,
    to_images,
    to_signal,
)
from vae_core.generative_training import DiffusionSettings, train_diffusion


def test_the_velocity_has_the_images_shape():
    model = tiny_diffusion().eval()
    x = torch.randn(3, 1, 8, 8)
    assert model.velocity(x, torch.rand(3)).shape == (3, 1, 8, 8)
    colour = FlowMatching(DiffusionConfig(image_shape=(3, 12, 16), channels=(8, 16, 16), time_dim=8))
    assert colour.velocity(torch.randn(2, 3, 12, 16), torch.rand(2)).shape == (2, 3, 12, 16)


def test_time_embedding_is_sines_and_cosines_of_scaled_time():
    t = torch.tensor([0.0, 0.25, 1.0])
    emb = time_embedding(t, 6)
    freqs = [10_000 ** (-i / 3) for i in range(3)]
    expected = [
        [math.sin(1000 * s * f) for f in freqs] + [math.cos(1000 * s * f) for f in freqs] for s in (0.0, 0.25, 1.0)
    ]
    torch.testing.assert_close(emb, torch.tensor(expected), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"channels": (30, 64, 96)}, r"U-Net channels must be three multiples of 8 up to 256, not \(30, 64, 96\)"),
        ({"channels": (32, 64)}, "U-Net channels must be three multiples of 8"),
        ({"channels": (32, 64, 512)}, "U-Net channels"),
        ({"time_dim": 15}, "time embedding width must be even"),
        ({"sampler_steps": 0}, "sampler steps must be from 1 to 1000, not 0"),
        ({"image_shape": (1, 10, 10)}, "image sides must be multiples of 4"),
        ({"kind": "gan"}, "a diffusion config's kind must be 'diffusion', not 'gan'"),
    ],
)
def test_bad_configs_name_the_setting(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        DiffusionConfig(**changes)


def test_bad_settings_name_the_setting():
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        DiffusionSettings(epochs=0)
    with pytest.raises(ValueError, match="learning rate"):
        DiffusionSettings(lr=2.0)
    with pytest.raises(ValueError, match="batch size"):
        DiffusionSettings(batch_size=5000)


def test_flow_matching_loss_is_the_velocity_error_on_the_straight_path(digits):
    """x_t = (1 − t)·x + t·ε against target ε − x, with the noise drawn from the generator as documented."""
    model = tiny_diffusion().eval()
    images = digits.train_images[:6]
    got = flow_matching_loss(model, images, torch.Generator().manual_seed(4))
    gen = torch.Generator().manual_seed(4)
    x = images * 2 - 1
    eps = torch.randn(x.shape, generator=gen)
    t = torch.rand(6, generator=gen)
    xt = torch.stack([(1 - t[i]) * x[i] + t[i] * eps[i] for i in range(6)])
    expected = ((model.velocity(xt, t) - (eps - x)) ** 2).mean()
    torch.testing.assert_close(got, expected)


def test_a_few_steps_lower_the_loss_on_a_fixed_batch(digits):
    model = tiny_diffusion().train()
    images = digits.train_images[:16]
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)

    def loss() -> torch.Tensor:
        return flow_matching_loss(model, images, torch.Generator().manual_seed(0))  # the same ε and t each time

    first = loss().item()
    for _ in range(8):
        opt.zero_grad()
        loss().backward()
        opt.step()
    assert loss().item() < 0.7 * first


class _Linear:
    """A stand-in velocity field v(x, t) = a·x, whose Heun steps have a closed form."""

    def __init__(self, a: float):
        self.a = a

    def velocity(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        assert t.shape == (len(x),)
        return self.a * x


def test_heun_steps_match_their_closed_form():
    """One Heun step of dx/dt = a·x multiplies x by 1 + ah + (ah)²/2; the last step to t = 0 is Euler's."""
    x = torch.randn(2, 1, 4, 4, dtype=torch.float64)
    a, n = 0.7, 5
    seen = []
    forward = integrate(_Linear(a), x, t_from=0.0, t_to=1.0, steps=n, on_step=lambda i, s: seen.append(i))
    h = 1 / n
    torch.testing.assert_close(forward, x * (1 + a * h + (a * h) ** 2 / 2) ** n)
    assert seen == [1, 2, 3, 4, 5]
    backward = integrate(_Linear(a), x, t_from=1.0, t_to=0.0, steps=n)
    torch.testing.assert_close(backward, x * (1 - a * h + (a * h) ** 2 / 2) ** (n - 1) * (1 - a * h))
    fine = integrate(_Linear(a), x, t_from=0.0, t_to=1.0, steps=200)
    torch.testing.assert_close(fine, x * math.exp(a), rtol=1e-5, atol=1e-6)  # second order: converges to e^a


def test_invert_then_generate_gives_the_digit_back(digits):
    """The ODE is reversible: with many steps even an untrained net's smooth field maps back."""
    model = tiny_diffusion(seed=3).eval()
    x = digits.val_images[:4]
    noise = invert(model, x, steps=24)
    assert noise.shape == x.shape
    assert (noise - to_signal(x)).abs().max() > 0.1  # it went somewhere
    back = generate(model, noise, steps=24)
    assert (back - x).abs().max() < 1e-2
    coarse = generate(model, invert(model, x, steps=2), steps=2)
    assert (coarse - x).abs().max() > (back - x).abs().max()  # the round trip tightens with the steps


def test_reverse_path_runs_from_noise_to_the_sample():
    model = tiny_diffusion().eval()
    noise = torch.randn(3, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    path = reverse_path(model, noise, steps=5)
    assert path.shape == (6, 3, 1, 8, 8)
    assert path.min() >= 0 and path.max() <= 1
    torch.testing.assert_close(path[0], to_images(noise))
    torch.testing.assert_close(path[-1], generate(model, noise, steps=5))
    assert reverse_path(model, noise).shape == (model.config.sampler_steps + 1, 3, 1, 8, 8)  # the config's steps


def test_generate_is_deterministic_and_in_range():
    model = tiny_diffusion().eval()
    noise = torch.randn(4, 1, 8, 8)
    a, b = generate(model, noise), generate(model, noise)
    assert torch.equal(a, b) and a.min() >= 0 and a.max() <= 1


QUICK = DiffusionSettings(epochs=3, batch_size=16)


def test_training_lowers_the_loss(digits):
    images = digits.train_images[:32]
    model = tiny_diffusion()

    def fixed_loss(m: FlowMatching) -> float:
        with torch.no_grad():
            return sum(flow_matching_loss(m, images, torch.Generator().manual_seed(s)).item() for s in range(4))

    before = fixed_loss(model.eval())
    settings = DiffusionSettings(epochs=8, batch_size=16, lr=5e-3, ema_decay=0.0)
    result = train_diffusion(model, images, settings=settings, device="cpu")
    assert result.steps == 16 and result.epochs_completed == 8 and len(result.history) == 8
    assert all(math.isfinite(row["loss"]) for row in result.history)
    assert fixed_loss(model) < 0.8 * before


def test_training_is_seeded(digits):
    images = digits.train_images[:32]
    runs = []
    for seed in (0, 0, 1):
        model = tiny_diffusion()
        train_diffusion(model, images, settings=DiffusionSettings(epochs=1, batch_size=16, seed=seed), device="cpu")
        runs.append(model.state_dict())
    assert all(torch.equal(v, runs[1][k]) for k, v in runs[0].items())
    assert any(not torch.equal(v, runs[2][k]) for k, v in runs[0].items())


def test_the_moving_average_is_what_training_leaves(digits):
    """One step per epoch: the weights after each step, then an average of decay 0.5 over them
    (the first step copied, as torch's AveragedModel starts)."""
    images = digits.train_images[:16]
    states = []
    plain = DiffusionSettings(epochs=2, batch_size=16, ema_decay=0.0)
    train_diffusion(
        tiny_diffusion(),
        images,
        settings=plain,
        device="cpu",
        on_epoch=lambda _row, m: states.append({k: v.clone() for k, v in m.state_dict().items()}),
    )
    averaged = tiny_diffusion()
    train_diffusion(averaged, images, settings=DiffusionSettings(epochs=2, batch_size=16, ema_decay=0.5), device="cpu")
    first, last = states
    for k, v in averaged.state_dict().items():
        torch.testing.assert_close(v, 0.5 * first[k] + 0.5 * last[k], msg=k)


def test_a_stop_request_stops_between_steps(digits):
    flag = StopAfter(3)
    result = train_diffusion(
        tiny_diffusion(),
        digits.train_images[:64],
        settings=QUICK,
        on_step=flag.on_step,
        stop=flag,
        device="cpu",
    )
    assert result.stopped and result.steps == 3 and result.history == []


def test_checkpoint_round_trip(tmp_path, digits):
    model = tiny_diffusion()
    train_diffusion(model, digits.train_images[:16], settings=DiffusionSettings(epochs=1, batch_size=16), device="cpu")
    path = save_tiny(tmp_path / "diffusion.pt", model, train_settings=QUICK.to_dict())
    loaded, info = load_checkpoint(path)
    assert isinstance(loaded, FlowMatching) and loaded.kind == info.config.kind == "diffusion"
    assert info.config == model.config and info.settings == QUICK and not loaded.training
    reference = tiny_diffusion()
    reference.load_state_dict(half_rounded(model))
    noise = torch.randn(3, 1, 8, 8)
    assert torch.equal(generate(loaded, noise), generate(reference.eval(), noise))
    assert F.mse_loss(generate(loaded, noise), generate(model.eval(), noise)) < 1e-4

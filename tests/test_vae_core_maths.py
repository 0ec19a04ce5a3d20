"""The maths checked against references: closed-form KL, Bernoulli likelihood, reparameterisation."""

import math

import pytest
import torch
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from vae_core import ae_loss, bernoulli_nll, gaussian_kl, vae_loss


def test_closed_form_kl_matches_torch_distributions():
    torch.manual_seed(0)
    mu, logvar = torch.randn(64, 7) * 2, torch.randn(64, 7)
    q = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
    p = Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
    torch.testing.assert_close(gaussian_kl(mu, logvar), kl_divergence(q, p), rtol=1e-5, atol=1e-5)


def test_kl_is_zero_exactly_at_the_prior():
    assert gaussian_kl(torch.zeros(3, 5), torch.zeros(3, 5)).abs().max() == 0


def test_bernoulli_nll_matches_torch_distributions_on_binary_and_grey_pixels():
    torch.manual_seed(0)
    logits = torch.randn(4, 1, 8, 8) * 3
    x_binary = (torch.rand(4, 1, 8, 8) > 0.5).float()
    expected = -Bernoulli(logits=logits).log_prob(x_binary).flatten(1).sum(1)
    torch.testing.assert_close(bernoulli_nll(logits, x_binary), expected)
    # Grey values: the cross-entropy formula −[x log p + (1−x) log(1−p)], summed per image.
    x = torch.rand(4, 1, 8, 8)
    p = torch.sigmoid(logits)
    manual = -(x * p.log() + (1 - x) * (1 - p).log()).flatten(1).sum(1)
    torch.testing.assert_close(bernoulli_nll(logits, x), manual, rtol=1e-4, atol=1e-4)


def test_bernoulli_nll_is_stable_for_extreme_logits():
    logits = torch.full((1, 1, 2, 2), 200.0)
    assert torch.isfinite(bernoulli_nll(logits, torch.zeros(1, 1, 2, 2))).all()
    assert bernoulli_nll(logits, torch.ones(1, 1, 2, 2)).item() == pytest.approx(0.0, abs=1e-6)


def test_vae_loss_is_recon_plus_beta_kl_per_image():
    torch.manual_seed(1)
    logits, x = torch.randn(5, 1, 4, 4), torch.rand(5, 1, 4, 4)
    mu, logvar = torch.randn(5, 3), torch.randn(5, 3)
    terms = vae_loss(logits, x, mu, logvar, beta=2.5)
    assert terms.recon.item() == pytest.approx(bernoulli_nll(logits, x).mean().item())
    assert terms.kl.item() == pytest.approx(gaussian_kl(mu, logvar).mean().item())
    assert terms.total.item() == pytest.approx(terms.recon.item() + 2.5 * terms.kl.item(), rel=1e-6)
    ae = ae_loss(logits, x)
    assert ae.kl.item() == 0 and ae.total.item() == pytest.approx(terms.recon.item())


def test_an_uninformed_decoder_costs_log2_nats_per_binary_pixel():
    x = (torch.rand(2, 1, 8, 8) > 0.5).float()
    assert bernoulli_nll(torch.zeros_like(x), x).tolist() == pytest.approx([64 * math.log(2)] * 2)


def test_reparameterisation_gives_the_right_moments_and_gradients(make_model):
    model = make_model("vae", latent_dim=3)
    mu = torch.tensor([[1.0, -2.0, 0.5]]).repeat(20000, 1).requires_grad_()
    logvar = torch.log(torch.tensor([[0.25, 1.0, 4.0]])).repeat(20000, 1).requires_grad_()
    z = model.reparameterize(mu, logvar)
    torch.testing.assert_close(z.mean(0), torch.tensor([1.0, -2.0, 0.5]), atol=0.05, rtol=0)
    torch.testing.assert_close(z.std(0), torch.tensor([0.5, 1.0, 2.0]), atol=0.05, rtol=0)
    z.sum().backward()  # the noise is outside the graph: gradients reach μ and log σ²
    assert mu.grad is not None and logvar.grad is not None and logvar.grad.abs().sum() > 0

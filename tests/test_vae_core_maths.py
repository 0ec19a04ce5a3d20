"""The maths checked against references: closed-form KL (per image and per latent dimension), Bernoulli
likelihood, reparameterisation; what counts as posterior collapse."""

import math

import pytest
import torch
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from vae_core import ae_loss, bernoulli_nll, evaluate, gaussian_kl, vae_loss
from vae_core.evaluation import (
    ACTIVE_UNIT_NATS,
    COLLAPSE_KL_NATS,
    active_units,
    collapsed_dimensions,
    kl_per_dimension,
    most_informative,
    posterior_collapse,
)


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


def test_kl_per_dimension_matches_torch_distributions_and_sums_to_the_kl():
    torch.manual_seed(2)
    mu, logvar = torch.randn(64, 5) * 2, torch.randn(64, 5)
    q = Normal(mu, torch.exp(0.5 * logvar))  # not Independent: one KL per dimension, (B, D)
    p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    expected = kl_divergence(q, p)
    torch.testing.assert_close(kl_per_dimension(mu, logvar), expected, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(kl_per_dimension(mu, logvar).sum(1), gaussian_kl(mu, logvar), rtol=1e-5, atol=1e-5)


def test_an_evaluation_gives_the_mean_kl_of_each_latent_dimension_and_counts_the_active_ones(digits, make_model):
    model, x = ContrivedVAE(make_model("vae", latent_dim=4), used=2), digits.val_images
    ev = evaluate(model, x)
    with torch.no_grad():
        mu, logvar = model.encode(x)  # (N, 4) each
    q = Normal(mu, torch.exp(0.5 * logvar))
    expected = kl_divergence(q, Normal(torch.zeros_like(mu), torch.ones_like(mu))).mean(0)  # (D,)
    assert ev.kl_per_dim.shape == (4,)
    torch.testing.assert_close(torch.from_numpy(ev.kl_per_dim).float(), expected, rtol=1e-4, atol=1e-6)
    assert ev.kl == pytest.approx(ev.kl_per_dim.sum(), rel=1e-6)
    assert ev.kl_per_dim[2:].tolist() == [0.0, 0.0] and (ev.kl_per_dim[:2] > 0.1).all()
    assert ev.active_units == active_units(expected.numpy()) == int((expected > ACTIVE_UNIT_NATS).sum()) == 2
    assert active_units([0.5, 0.011, 0.01, 0.0]) == 2  # above the threshold, not at it
    assert "kl_per_dim" not in ev.summary() and ev.summary()["active_units"] == 2  # numbers only, for checkpoints
    ae = evaluate(make_model("ae"), x)
    assert ae.kl_per_dim is None and ae.active_units is None


def test_the_collapsed_dimensions_are_named_where_the_kl_is_not_above_the_threshold(digits, make_model):
    """The complement of the active units, as 0-based indices in order: a contrived VAE that leaves its
    last two dimensions at the prior has exactly those two collapsed."""
    ev = evaluate(ContrivedVAE(make_model("vae", latent_dim=4), used=2), digits.val_images)
    assert collapsed_dimensions(ev.kl_per_dim) == [2, 3]
    kl = [0.0, 0.5, 0.01, 0.011, float("nan"), 3.0]
    assert collapsed_dimensions(kl) == [0, 2, 4]  # at the threshold is off; a NaN carries nothing either
    assert len(collapsed_dimensions(kl)) + active_units(kl) == len(kl)
    assert collapsed_dimensions(torch.tensor(kl)) == [0, 2, 4]  # a tensor as well as an array or a list
    assert collapsed_dimensions([0.3, 0.2], threshold=0.25) == [1]
    assert collapsed_dimensions([1.0, 2.0]) == [] and collapsed_dimensions([0.0, 0.0]) == [0, 1]
    assert collapsed_dimensions(evaluate(make_model("ae"), digits.val_images).kl_per_dim) == []  # no KL: None
    with pytest.raises(ValueError, match="shape"):
        collapsed_dimensions(torch.zeros(3, 2))  # per image, not averaged


def test_the_most_informative_dimensions_are_those_with_the_most_kl():
    """What the β page traverses: the dimensions by KL, the most first, ties in index order."""
    kl = [0.1, 2.0, 0.1, 3.0, 0.0005]
    assert most_informative(kl, 3).tolist() == [3, 1, 0]
    assert most_informative(kl, 9).tolist() == [3, 1, 0, 2, 4]  # no more than there are
    assert most_informative(kl, 0).tolist() == []
    assert most_informative(torch.tensor(kl), 2).tolist() == [3, 1]


class ContrivedVAE(torch.nn.Module):
    """A VAE that uses its first `used` latent dimensions (far from the prior) and leaves the others
    exactly at N(0, 1) for every image."""

    is_variational = True

    def __init__(self, model, used):
        super().__init__()
        self.model, self.used = model, used

    def encode(self, x):
        mu, logvar = self.model.encode(x)
        mu, logvar = mu * 50, logvar * 3
        mu[:, self.used :], logvar[:, self.used :] = 0.0, 0.0
        return mu, logvar

    def decode(self, z):
        return self.model.decode(z)


@pytest.mark.parametrize(
    "figures, collapsed",
    [
        ({"elbo": -25.0, "kl": 2.7, "active_units": 2}, False),
        ({"elbo": -27.2, "kl": 0.01, "active_units": 0}, True),  # digits after 10 epochs: one grey blob
        ({"elbo": -36.9, "kl": 0.04, "active_units": 1}, True),  # one dimension barely used: KL under 0.5
        ({"elbo": -30.0, "kl": 0.6, "active_units": 0}, True),  # information spread thinly over many dimensions
        ({"elbo": -30.0, "kl": 0.5, "active_units": 1}, False),
        ({"elbo": -30.0, "kl": 0.2}, True),  # an older checkpoint, without active units: its KL decides
        ({"elbo": None, "kl": 0.0, "active_units": None}, False),  # an autoencoder has no posterior
    ],
)
def test_posterior_collapse_is_a_kl_under_half_a_nat_or_no_active_dimension(figures, collapsed):
    assert COLLAPSE_KL_NATS == 0.5 and ACTIVE_UNIT_NATS == 0.01
    assert posterior_collapse(figures) is collapsed

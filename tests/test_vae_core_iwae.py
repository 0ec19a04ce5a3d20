"""The importance-weighted bound (Burda, Grosse & Salakhutdinov, 2016): its log-densities against
torch.distributions, K = 1 against the ELBO, and on trained models a bound above the ELBO that
tightens as K grows."""

import numpy as np
import pytest
import torch
from torch.distributions import Bernoulli, Independent, Normal

from vae_core import evaluate, importance_bounds, iwae_bound, load_checkpoint
from vae_core.evaluation import gaussian_log_density, standard_normal_log_density
from vae_core.pretrain import CHECKPOINT_DIR


@pytest.fixture(scope="module")
def digits_vae():
    """The shipped 2-D digits VAE (150 epochs, a few seconds to train), loaded read only."""
    model, _ = load_checkpoint(CHECKPOINT_DIR / "digits-vae-mlp-2d.pt")
    return model


def test_gaussian_log_densities_match_torch_distributions():
    torch.manual_seed(0)
    mu, logvar = torch.randn(6, 5) * 2, torch.randn(6, 5)
    z = torch.randn(3, 6, 5) * 3  # (S, B, D): μ and log σ² broadcast over the samples
    q = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
    torch.testing.assert_close(gaussian_log_density(z, mu, logvar), q.log_prob(z), rtol=1e-5, atol=1e-4)
    prior = Independent(Normal(torch.zeros(5), torch.ones(5)), 1)
    torch.testing.assert_close(standard_normal_log_density(z), prior.log_prob(z), rtol=1e-5, atol=1e-5)
    zeros = torch.zeros(2, 5)  # at the prior, q is p: the two agree exactly
    torch.testing.assert_close(gaussian_log_density(z, zeros[:1], zeros[:1]), standard_normal_log_density(z))


def test_one_sample_is_one_log_weight_computed_with_torch_distributions(digits, make_model):
    """K = 1: log p(x|z) + log p(z) − log q(z|x) at one z = μ + σ·ε, the noise drawn as documented."""
    model, x = make_model(), digits.val_images[:40]
    got = iwae_bound(model, x, samples=1, seed=7)
    gen = torch.Generator().manual_seed(7)
    with torch.no_grad():
        mu, logvar = model.encode(x)
        z = mu + torch.randn((1, *mu.shape), generator=gen)[0] * torch.exp(0.5 * logvar)
        log_px = Independent(Bernoulli(logits=model.decode(z), validate_args=False), 3).log_prob(x)
        log_pz = Independent(Normal(torch.zeros_like(z), torch.ones_like(z)), 1).log_prob(z)
        log_qz = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1).log_prob(z)
    assert got.shape == (40,)
    np.testing.assert_allclose(got, (log_px + log_pz - log_qz).numpy(), rtol=1e-5, atol=1e-4)


def test_one_sample_equals_the_elbo_in_expectation(digits_vae, digits):
    """Both are unbiased for the mean ELBO: averaged over 100 seeds they agree within 4 standard errors."""
    x = digits.val_images
    k1 = np.array([iwae_bound(digits_vae, x, samples=1, seed=s).mean() for s in range(100)])
    elbo = np.array([evaluate(digits_vae, x, seed=s).elbo for s in range(100)])
    standard_error = np.sqrt(k1.var(ddof=1) / len(k1) + elbo.var(ddof=1) / len(elbo))
    assert abs(k1.mean() - elbo.mean()) < 4 * standard_error, (k1.mean(), elbo.mean(), standard_error)


def test_the_bound_is_above_the_elbo_and_tightens_as_k_grows(digits_vae, digits):
    x = digits.val_images
    elbo = evaluate(digits_vae, x).elbo
    bounds = {k: iwae_bound(digits_vae, x, samples=k).mean() for k in (1, 10, 100, 1000)}
    assert bounds[1] < bounds[10] < bounds[100] < bounds[1000] < 0, bounds
    assert bounds[1000] > elbo + 0.3, (bounds, elbo)  # half a nat tighter on this 2-D VAE


def test_from_the_same_samples_the_elbo_is_never_above_the_bound(digits_vae, digits):
    """Mean of the log-weights (the ELBO) ≤ log of the mean weight (the bound), image by image (Jensen);
    the K-sample ELBO is the ELBO that `evaluate` reports, with less noise."""
    x = digits.val_images
    bounds = importance_bounds(digits_vae, x, samples=200)
    assert bounds.samples == 200 and bounds.elbo.shape == bounds.iwae.shape == (len(x),)
    assert (bounds.iwae >= bounds.elbo).all()
    elbo = np.mean([evaluate(digits_vae, x, seed=s).elbo for s in range(20)])  # ±0.1 nats for one seed
    assert bounds.elbo.mean() == pytest.approx(elbo, abs=0.1)
    one = importance_bounds(digits_vae, x, samples=1)  # one weight: the two are the same number
    np.testing.assert_array_equal(one.elbo, one.iwae)


def test_chunks_change_the_noise_not_the_figure(digits_vae, digits):
    """Chunks over samples (batch_size < K) and over images give the same bound up to Monte Carlo
    noise, and the same arguments give the very same figures."""
    x = digits.val_images[:30]
    whole = iwae_bound(digits_vae, x, samples=500, batch_size=100_000)  # all images and samples at once
    split = iwae_bound(digits_vae, x, samples=500, batch_size=64)  # one image at a time, 8 chunks of samples
    assert split.mean() == pytest.approx(whole.mean(), abs=0.1)
    np.testing.assert_allclose(split, whole, atol=1.0)  # one image: within a few tenths of a nat
    np.testing.assert_array_equal(split, iwae_bound(digits_vae, x, samples=500, batch_size=64))
    assert not np.array_equal(split, iwae_bound(digits_vae, x, samples=500, batch_size=64, seed=1))


def test_the_bound_needs_a_vae_and_images(make_model, digits):
    with pytest.raises(ValueError, match="needs a VAE"):
        iwae_bound(make_model("ae"), digits.val_images[:4])
    with pytest.raises(ValueError, match="no images"):
        iwae_bound(make_model(), digits.val_images[:0])
    with pytest.raises(ValueError, match="at least 1"):
        iwae_bound(make_model(), digits.val_images[:4], samples=0)


def test_the_shipped_2d_mnist_vae_bound_with_k_1000(mnist):
    """K = 1000 on the 500 validation images, as in README's table (2 s on 2 quiet cores)."""
    model, info = load_checkpoint(CHECKPOINT_DIR / "mnist-vae-mlp-2d.pt")
    bound = iwae_bound(model, mnist.val_images)
    assert bound.shape == (500,) and np.isfinite(bound).all()
    assert bound.mean() > info.metrics["elbo"] + 2.0, (bound.mean(), info.metrics["elbo"])

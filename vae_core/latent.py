"""Latent-space tools: pure functions that every page reuses.

Codes go in and out as tensors (N, D); decoded images come back as float tensors (N, C, H, W)
in [0, 1] (the Bernoulli means), and `tile_images` turns them into one uint8 picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from .models import LatentModel

Spacing = Literal["linear", "gaussian"]
Interpolation = Literal["linear", "spherical"]
ProjectionMethod = Literal["pca", "tsne"]


def _device(model: LatentModel) -> torch.device:
    return next(model.parameters()).device


def as_images(images: torch.Tensor | np.ndarray) -> torch.Tensor:
    """Images (N, C, H, W) in [0, 1] as a float tensor, from a tensor or a numpy array."""
    if isinstance(images, torch.Tensor):
        return images.float()
    return torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))


@dataclass(frozen=True)
class EncodedSet:
    mu: np.ndarray  # (N, D): the code (AE) or the posterior mean (VAE)
    sigma: np.ndarray | None  # (N, D) posterior standard deviations; None for the AE


@torch.no_grad()
def encode(model: LatentModel, images: torch.Tensor | np.ndarray, *, batch_size: int = 1000) -> EncodedSet:
    """Codes of a whole set, in batches, with σ when the model is a VAE."""
    model.eval()
    mus, sigmas = [], []
    for x in as_images(images).split(batch_size):
        out = model.encode(x.to(_device(model)))
        if model.is_variational:
            mu, logvar = out
            mus.append(mu)
            sigmas.append(torch.exp(0.5 * logvar))
        else:
            mus.append(out)
    mu = torch.cat(mus).cpu().numpy()
    return EncodedSet(mu, torch.cat(sigmas).cpu().numpy() if sigmas else None)


@torch.no_grad()
def decode(model: LatentModel, z: torch.Tensor | np.ndarray) -> torch.Tensor:
    """Bernoulli means for codes (N, D) → (N, C, H, W) in [0, 1], on the CPU."""
    model.eval()
    z = torch.as_tensor(np.asarray(z, dtype=np.float32) if isinstance(z, np.ndarray) else z)
    return torch.sigmoid(model.decode(z.float().to(_device(model)))).cpu()


@torch.no_grad()
def reconstruct(model: LatentModel, images: torch.Tensor | np.ndarray) -> torch.Tensor:
    """Decode the mean code of each image (no sampling): what the model 'sees'."""
    enc = encode(model, images)
    return decode(model, enc.mu)


def grid_coordinates(n: int, *, extent: float = 3.0, spacing: Spacing = "linear") -> torch.Tensor:
    """n values in [-extent, extent], evenly spaced either in z or in prior probability.

    Gaussian spacing places the points at quantiles of N(0, 1) evenly spaced between Φ(−extent)
    and Φ(extent): dense where the prior has mass, as in Kingma & Welling's MNIST-manifold figure.
    """
    if n < 1:
        raise ValueError(f"grid size must be at least 1, not {n}")
    if not extent > 0:
        raise ValueError(f"grid range must be positive, not {extent}")
    if spacing == "linear":
        return torch.linspace(-extent, extent, n)
    if spacing == "gaussian":
        normal = torch.distributions.Normal(0.0, 1.0)
        lo, hi = normal.cdf(torch.tensor(-float(extent))), normal.cdf(torch.tensor(float(extent)))
        return normal.icdf(torch.linspace(lo.item(), hi.item(), n).clamp(1e-6, 1 - 1e-6)).to(torch.float32)
    raise ValueError(f"spacing must be 'linear' or 'gaussian', not {spacing!r}")


def grid_codes(
    n: int,
    *,
    latent_dim: int,
    dims: tuple[int, int] = (0, 1),
    extent: float = 3.0,
    spacing: Spacing = "linear",
    base: torch.Tensor | np.ndarray | None = None,
) -> torch.Tensor:
    """n×n codes (n*n, D), row-major as drawn: top row is the largest value of dims[1].

    The dimensions not on the grid are held at `base` (default: the origin). A 1-D latent space
    has no second dimension: its grid is the single row of n codes (n, 1), and `dims` is ignored.
    """
    if latent_dim < 1:
        raise ValueError("latent size must be at least 1")
    values = grid_coordinates(n, extent=extent, spacing=spacing)
    if latent_dim == 1:
        return values.reshape(-1, 1)
    dx, dy = dims
    if not (0 <= dx < latent_dim and 0 <= dy < latent_dim) or dx == dy:
        raise ValueError(f"grid dimensions {dims} must be two different dimensions below {latent_dim}")
    z = torch.zeros(n * n, latent_dim) if base is None else torch.as_tensor(base, dtype=torch.float32).repeat(n * n, 1)
    ys, xs = torch.meshgrid(values.flip(0), values, indexing="ij")  # (n, n) each
    z[:, dx] = xs.reshape(-1)
    z[:, dy] = ys.reshape(-1)
    return z


def decode_grid(model: LatentModel, n: int, **grid_kwargs) -> torch.Tensor:
    """The MNIST-manifold figure's images, (n*n, C, H, W), decoded in one batch."""
    return decode(model, grid_codes(n, latent_dim=model.config.latent_dim, **grid_kwargs))


def interpolate(
    z0: torch.Tensor | np.ndarray, z1: torch.Tensor | np.ndarray, steps: int, *, method: Interpolation = "linear"
) -> torch.Tensor:
    """steps codes (steps, D) from z0 to z1, both ends included.

    Spherical: the direction moves along the great circle (slerp) while the length moves
    linearly, so a path between codes of equal norm keeps that norm, as samples of a
    high-dimensional Gaussian do, instead of cutting through the low-density middle.
    """
    if steps < 2:
        raise ValueError(f"an interpolation needs at least 2 steps, not {steps}")
    a, b = torch.as_tensor(z0, dtype=torch.float32).flatten(), torch.as_tensor(z1, dtype=torch.float32).flatten()
    if a.shape != b.shape:
        raise ValueError(f"codes of different sizes: {tuple(a.shape)} and {tuple(b.shape)}")
    t = torch.linspace(0, 1, steps).unsqueeze(1)  # (steps, 1)
    if method == "linear":
        return (1 - t) * a + t * b
    if method != "spherical":
        raise ValueError(f"method must be 'linear' or 'spherical', not {method!r}")
    na, nb = a.norm(), b.norm()
    if na < 1e-8 or nb < 1e-8:
        return (1 - t) * a + t * b
    ua, ub = a / na, b / nb
    omega = torch.arccos(torch.clamp(ua @ ub, -1.0, 1.0))
    if omega < 1e-4:  # nearly parallel: slerp degenerates to lerp of the directions
        dirs = (1 - t) * ua + t * ub
    else:
        dirs = (torch.sin((1 - t) * omega) * ua + torch.sin(t * omega) * ub) / torch.sin(omega)
    dirs = dirs / dirs.norm(dim=1, keepdim=True)
    return dirs * ((1 - t) * na + t * nb)


def traverse(base: torch.Tensor | np.ndarray, dim: int, values: torch.Tensor | np.ndarray) -> torch.Tensor:
    """Codes (len(values), D) equal to `base` except along `dim`."""
    base = torch.as_tensor(base, dtype=torch.float32).flatten()
    if not 0 <= dim < len(base):
        raise ValueError(f"dimension {dim} is out of range for a {len(base)}-D code")
    z = base.repeat(len(values), 1)
    z[:, dim] = torch.as_tensor(values, dtype=torch.float32)
    return z


def sample_prior(n: int, latent_dim: int, *, seed: int | None = None) -> torch.Tensor:
    """n codes from p(z) = N(0, I); seeded for reproducible pictures."""
    gen = torch.Generator().manual_seed(seed) if seed is not None else None
    return torch.randn(n, latent_dim, generator=gen)


@dataclass(frozen=True)
class Projection:
    """Codes projected to 2-D for plotting; PCA can also place new codes (paths, samples)."""

    points: np.ndarray  # (N, 2)
    method: str  # "identity", "pca" or "tsne"
    mean: np.ndarray | None = None  # PCA: (D,)
    components: np.ndarray | None = None  # PCA: (2, D)
    explained_variance_ratio: tuple[float, float] | None = None

    def transform(self, codes: np.ndarray) -> np.ndarray:
        codes = np.asarray(codes, dtype=np.float64)
        if self.method == "identity":
            return codes[:, :2] if codes.shape[1] >= 2 else np.pad(codes, ((0, 0), (0, 1)))
        if self.method == "pca":
            return (codes - self.mean) @ self.components.T
        raise ValueError("t-SNE cannot place new points; use PCA to draw paths")


def project_2d(codes: np.ndarray, *, method: ProjectionMethod = "pca", seed: int = 0) -> Projection:
    """A 2-D view of codes: themselves when D ≤ 2, else PCA or t-SNE (scikit-learn)."""
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or len(codes) == 0:
        raise ValueError(f"codes must be a non-empty (N, D) array, not shape {codes.shape}")
    if codes.shape[1] <= 2:
        ident = Projection(np.empty((0, 2)), "identity")
        return Projection(ident.transform(codes), "identity")
    if method == "pca":
        from sklearn.decomposition import PCA  # noqa: PLC0415 - sklearn import is slow

        pca = PCA(n_components=2, random_state=seed).fit(codes)
        ratio = tuple(float(r) for r in pca.explained_variance_ratio_)
        return Projection(pca.transform(codes), "pca", pca.mean_, pca.components_, ratio)  # type: ignore[arg-type]
    if method == "tsne":
        from sklearn.manifold import TSNE  # noqa: PLC0415

        perplexity = float(min(30.0, max(2.0, (len(codes) - 1) / 3)))
        # 500 iterations instead of 1,000: the layout of a few hundred codes has settled by then,
        # and a class waits half as long on a first visit.
        return Projection(TSNE(n_components=2, perplexity=perplexity, random_state=seed, init="pca",
                               max_iter=500).fit_transform(codes), "tsne")  # fmt: skip
    raise ValueError(f"projection must be 'pca' or 'tsne', not {method!r}")


def tile_images(images: torch.Tensor | np.ndarray, *, nrow: int, padding: int = 1, pad_value: float = 1.0) -> np.ndarray:
    """Tile (N, C, H, W) images in [0, 1], `nrow` to a row (as torchvision's make_grid), into one
    uint8 picture: (H', W') for grey images, (H', W', C) for colour."""
    x = images.detach().cpu().numpy() if isinstance(images, torch.Tensor) else np.asarray(images)
    if x.ndim != 4 or len(x) == 0:
        raise ValueError(f"images must be a non-empty (N, C, H, W) array, not shape {x.shape}")
    if nrow < 1:
        raise ValueError("nrow must be at least 1")
    n, c, h, w = x.shape
    ncol = min(nrow, n)
    nrows = -(-n // ncol)
    out = np.full((c, nrows * (h + padding) + padding, ncol * (w + padding) + padding), pad_value, np.float32)
    for i in range(n):
        r, k = divmod(i, ncol)
        top, left = padding + r * (h + padding), padding + k * (w + padding)
        out[:, top : top + h, left : left + w] = x[i]
    out = (np.clip(out, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    return out[0] if c == 1 else out.transpose(1, 2, 0)

"""Latent-space tools: pure functions that every page reuses.

Numpy in, numpy out: codes are float32 arrays (N, D) and decoded images float32 arrays
(N, C, H, W) in [0, 1] (the Bernoulli means), so a caller never has to know about torch.
Tensors are accepted too, for the data sets' images. `tile_images` makes one uint8 picture.
A code's σ goes through a linear projection exactly (`projected_ellipse`), so its ellipse on a 2-D
map of the codes is drawn true to the Gaussian.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from .models import LatentModel

Spacing = Literal["linear", "gaussian"]
Interpolation = Literal["linear", "spherical"]
ProjectionMethod = Literal["pca", "tsne"]
Images = np.ndarray | torch.Tensor

VAE_CODE_RANGE = 4.0  # a VAE's codes live within a few σ of the prior's origin
TSNE_ITERATIONS = 500  # the layout of a few hundred codes has settled by then; a class waits less


def _device(model: LatentModel) -> torch.device:
    return next(model.parameters()).device


def _float_tensor(x: Images) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x.detach().float()
    x = np.ascontiguousarray(x, dtype=np.float32)
    # torch warns about read-only arrays (shared caches hand those out): give it a copy
    return torch.from_numpy(x if x.flags.writeable else x.copy())


def as_images(images: Images) -> torch.Tensor:
    """Images (N, C, H, W) in [0, 1] as a float tensor, from a tensor or a numpy array."""
    return _float_tensor(images)


def _numpy(x: torch.Tensor) -> np.ndarray:
    return x.detach().cpu().numpy().astype(np.float32, copy=False)


@dataclass(frozen=True)
class EncodedSet:
    mu: np.ndarray  # (N, D): the code (AE) or the posterior mean (VAE)
    sigma: np.ndarray | None  # (N, D) posterior standard deviations; None for the AE


@torch.no_grad()
def encode(model: LatentModel, images: Images, *, batch_size: int = 1000) -> EncodedSet:
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
    return EncodedSet(_numpy(torch.cat(mus)), _numpy(torch.cat(sigmas)) if sigmas else None)


@torch.no_grad()
def decode(model: LatentModel, z: np.ndarray) -> np.ndarray:
    """Bernoulli means for codes (N, D): images (N, C, H, W) in [0, 1]."""
    model.eval()
    logits = model.decode(_float_tensor(z).to(_device(model)))  # (N, C, H, W)
    return _numpy(torch.sigmoid(logits))


def reconstruct(model: LatentModel, images: Images) -> np.ndarray:
    """Decode the mean code of each image (no sampling): what the model 'sees'. (N, C, H, W)."""
    return decode(model, encode(model, images).mu)


def code_ranges(mu: np.ndarray, *, variational: bool) -> np.ndarray:
    """(D, 2) slider bounds per dimension, from the codes `mu` (N, D) of a data set.

    A VAE's prior fixes the scale: ±VAE_CODE_RANGE, widened to whole units if some code lies
    further out. An AE's codes have no prescribed scale: their span, padded by 10 % and always
    including 0, rounded outward to steps of 0.5 (or 1 for spans over 10).
    """
    mu = np.asarray(mu, dtype=np.float32)
    if mu.ndim != 2 or len(mu) == 0:
        raise ValueError(f"codes must be a non-empty (N, D) array, not shape {mu.shape}")
    if variational:
        bound = np.maximum(VAE_CODE_RANGE, np.ceil(np.abs(mu).max(axis=0)))  # (D,)
        return np.stack([-bound, bound], axis=1).astype(np.float32)
    low, high = mu.min(axis=0), mu.max(axis=0)  # (D,) each
    pad = 0.1 * np.maximum(high - low, 1e-3)
    low, high = np.minimum(low - pad, 0.0), np.maximum(high + pad, 0.0)
    step = np.where(high - low > 10, 1.0, 0.5)
    return np.stack([np.floor(low / step) * step, np.ceil(high / step) * step], axis=1).astype(np.float32)


def _grid_values(n: int, extent: float, spacing: Spacing) -> torch.Tensor:
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


def grid_coordinates(n: int, *, extent: float = 3.0, spacing: Spacing = "linear") -> np.ndarray:
    """n values (n,) in [-extent, extent], evenly spaced either in z or in prior probability.

    Gaussian spacing places the points at quantiles of N(0, 1) evenly spaced between Φ(−extent)
    and Φ(extent): dense where the prior has mass, as in Kingma & Welling's MNIST-manifold figure.
    """
    return _numpy(_grid_values(n, extent, spacing))


def grid_codes(
    n: int,
    *,
    latent_dim: int,
    dims: tuple[int, int] = (0, 1),
    extent: float = 3.0,
    spacing: Spacing = "linear",
    base: np.ndarray | None = None,
) -> np.ndarray:
    """n×n codes (n*n, D), row-major as drawn: top row is the largest value of dims[1].

    The dimensions not on the grid are held at `base` (default: the origin). A 1-D latent space
    has no second dimension: its grid is the single row of n codes (n, 1), and `dims` is ignored.
    """
    if latent_dim < 1:
        raise ValueError("latent size must be at least 1")
    values = _grid_values(n, extent, spacing)  # (n,)
    if latent_dim == 1:
        return _numpy(values.reshape(-1, 1))
    dx, dy = dims
    if not (0 <= dx < latent_dim and 0 <= dy < latent_dim) or dx == dy:
        raise ValueError(f"grid dimensions {dims} must be two different dimensions below {latent_dim}")
    z = torch.zeros(n * n, latent_dim) if base is None else _float_tensor(base).flatten().repeat(n * n, 1)
    ys, xs = torch.meshgrid(values.flip(0), values, indexing="ij")  # (n, n) each
    z[:, dx] = xs.reshape(-1)
    z[:, dy] = ys.reshape(-1)
    return _numpy(z)


def plane_codes(
    extent: tuple[float, float, float, float], side: int, *, dims: tuple[int, int], base: np.ndarray
) -> np.ndarray:
    """The centres of a side×side grid of cells over a plane (x0, x1, y0, y1) of two dims, the others
    at `base` (D,): (side·side, D), row-major with the top row (largest y) first, as a pad is drawn."""
    if side < 1:
        raise ValueError(f"a plane's grid needs at least one cell a side, not {side}")
    x0, x1, y0, y1 = extent
    centres = (np.arange(side, dtype=np.float64) + 0.5) / side  # (side,) in (0, 1)
    xs, ys = x0 + centres * (x1 - x0), y1 - centres * (y1 - y0)
    z = np.repeat(np.asarray(base, dtype=np.float32).reshape(1, -1), side * side, axis=0)  # (side², D)
    z[:, dims[0]] = np.tile(xs, side)
    z[:, dims[1]] = np.repeat(ys, side)
    return z


def traversal_codes(code: np.ndarray, dims: tuple[int, ...], values: np.ndarray) -> np.ndarray:
    """One code (D,) with each dimension of `dims` in turn set to each of `values` (S,), the others
    kept: (len(dims) · S, D), one row of S codes per dimension. Decoded, the rows show what each
    dimension alone does to the image (a latent traversal)."""
    codes = np.repeat(np.tile(np.asarray(code, dtype=np.float32), (len(values), 1))[None], len(dims), axis=0)
    for row, dim in enumerate(dims):
        codes[row, :, dim] = values  # (len(dims), S, D)
    return codes.reshape(-1, len(code))


def interpolate(z0: np.ndarray, z1: np.ndarray, steps: int, *, method: Interpolation = "linear") -> np.ndarray:
    """steps codes (steps, D) from z0 to z1, both ends included.

    Spherical: the direction moves along the great circle (slerp) while the length moves
    linearly, so a path between codes of equal norm keeps that norm, as samples of a
    high-dimensional Gaussian do, instead of cutting through the low-density middle.
    """
    if steps < 2:
        raise ValueError(f"an interpolation needs at least 2 steps, not {steps}")
    if method not in ("linear", "spherical"):
        raise ValueError(f"method must be 'linear' or 'spherical', not {method!r}")
    a, b = _float_tensor(z0).flatten(), _float_tensor(z1).flatten()  # (D,) each
    if a.shape != b.shape:
        raise ValueError(f"codes of different sizes: {tuple(a.shape)} and {tuple(b.shape)}")
    t = torch.linspace(0, 1, steps).unsqueeze(1)  # (steps, 1)
    na, nb = a.norm(), b.norm()
    if method == "linear" or na < 1e-8 or nb < 1e-8:  # a zero code has no direction to turn
        return _numpy((1 - t) * a + t * b)
    ua, ub = a / na, b / nb
    omega = torch.arccos(torch.clamp(ua @ ub, -1.0, 1.0))
    if omega < 1e-4:  # nearly parallel: slerp degenerates to lerp of the directions
        dirs = (1 - t) * ua + t * ub
    else:
        dirs = (torch.sin((1 - t) * omega) * ua + torch.sin(t * omega) * ub) / torch.sin(omega)
    dirs = dirs / dirs.norm(dim=1, keepdim=True)  # (steps, D) unit directions
    return _numpy(dirs * ((1 - t) * na + t * nb))


def sample_prior(n: int, latent_dim: int, *, seed: int | None = None) -> np.ndarray:
    """n codes (n, D) from p(z) = N(0, I); seeded for reproducible pictures."""
    # torch's generator, not numpy's: the same seed keeps giving the same pictures as before
    gen = torch.Generator().manual_seed(seed) if seed is not None else None
    return _numpy(torch.randn(n, latent_dim, generator=gen))


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
        tsne = TSNE(n_components=2, perplexity=perplexity, random_state=seed, init="pca", max_iter=TSNE_ITERATIONS)
        return Projection(tsne.fit_transform(codes), "tsne")
    raise ValueError(f"projection must be 'pca' or 'tsne', not {method!r}")


def linear_map(projection: Projection, latent_dim: int) -> np.ndarray:
    """The projection's linear part as a matrix (2, D): PCA's components, or the first two axes of
    the codes (a 1-D code: its axis, and nothing upwards). A Gaussian's covariance goes through it
    exactly, which t-SNE, not being linear, has no such matrix for."""
    if projection.method == "pca" and projection.components is not None:
        return projection.components
    if projection.method == "tsne":
        raise ValueError("t-SNE is not a linear map; use PCA to draw a covariance")
    return np.eye(2, latent_dim)


def projected_ellipse(sigma: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 1-σ ellipse of N(μ, diag σ²) (σ: (D,)) seen through a linear 2-D projection `matrix` M
    (2, D) of the codes (`linear_map`): the projected Gaussian's covariance is M diag(σ²) Mᵀ, exactly, so its
    ellipse is faithful (its centre is the projected μ). Returns the half-axes' lengths (2,) and the
    axes (2, 2), column k being half-axis k, for `ellipse_points`."""
    m = np.asarray(matrix, dtype=np.float64)
    covariance = (m * np.asarray(sigma, dtype=np.float64) ** 2) @ m.T  # (2, 2)
    values, vectors = np.linalg.eigh(covariance)
    lengths = np.sqrt(np.clip(values, 0.0, None))
    return lengths, vectors * lengths  # column k: half-axis k


def ellipse_points(center: np.ndarray, axes: np.ndarray, *, points: int = 40, scale: float = 1.0) -> np.ndarray:
    """Points on ellipses: centre + scale · axes @ (cos t, sin t) for `points` angles t from 0 to 2π,
    both included so the outline closes. `center` (..., 2) and `axes` (..., 2, 2), as
    `projected_ellipse` gives them; returns (..., points, 2). `scale` draws them larger (a σ of a few
    hundredths is smaller than a point on a chart)."""
    angle = np.linspace(0, 2 * np.pi, points)
    circle = np.stack([np.cos(angle), np.sin(angle)])  # (2, points)
    outline = np.asarray(center)[..., :, None] + scale * (np.asarray(axes) @ circle)  # (..., 2, points)
    return np.swapaxes(outline, -1, -2)


def tile_images(images: Images, *, nrow: int, padding: int = 1, pad_value: float = 1.0) -> np.ndarray:
    """One uint8 picture of images (N, C, H, W) in [0, 1], `nrow` to a row, as torchvision's
    make_grid lays them out: (H', W') for grey images, (H', W', C) for colour."""
    x = images.detach().cpu().numpy() if isinstance(images, torch.Tensor) else np.asarray(images)
    if x.ndim != 4 or len(x) == 0:
        raise ValueError(f"images must be a non-empty (N, C, H, W) array, not shape {x.shape}")
    if nrow < 1:
        raise ValueError("nrow must be at least 1")
    n, c, h, w = x.shape
    ncol = min(nrow, n)
    nrows = math.ceil(n / ncol)
    out = np.full((c, nrows * (h + padding) + padding, ncol * (w + padding) + padding), pad_value, np.float32)
    for i in range(n):
        r, k = divmod(i, ncol)
        top, left = padding + r * (h + padding), padding + k * (w + padding)
        out[:, top : top + h, left : left + w] = x[i]
    out = (np.clip(out, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    return out[0] if c == 1 else out.transpose(1, 2, 0)

"""Results derived from a model, computed with vae_core and cached per server.

Every cached function takes the model as `_model` (not hashed) plus `model_key`, the checkpoint's
path, modification time and size, so results are shared by all sessions and recomputed when a
checkpoint file is replaced. Arrays come back as numpy, and the pictures many students ask for
(grids, prior samples) as encoded PNG data URLs; no torch here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from vae_core import (
    DatasetUnavailable,
    EncodedSet,
    Projection,
    decode,
    encode,
    evaluate,
    grid_codes,
    load_dataset,
    project_2d,
    reconstruct,
    sample_prior,
    tile_images,
)

from .images import enlarge, png_data_url
from .texts import t

VAE_SLIDER_RANGE = 4.0  # a VAE's codes live within a few σ of the origin


@dataclass(frozen=True)
class ValidationSet:
    """A data set's validation split: the images the pages encode, show and pick from."""

    dataset: str
    images: Any  # (N, C, H, W) float tensor in [0, 1], as vae_core takes it
    labels: np.ndarray  # (N,) int
    class_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def indices_of(self, label: int) -> np.ndarray:
        return np.flatnonzero(self.labels == label)

    @property
    def pixels(self) -> np.ndarray:
        """The images as a numpy array (N, C, H, W), sharing the tensor's memory: read only."""
        return self.images.numpy()

    def picture(self, index: int, min_side: int = 160) -> np.ndarray:
        return enlarge(tile_images(self.images[index : index + 1], nrow=1, padding=0), min_side)


@st.cache_resource(show_spinner=False)
def _validation_set(dataset: str) -> ValidationSet:
    split = load_dataset(dataset)
    return ValidationSet(dataset, split.val_images, split.val_labels.numpy(), tuple(split.class_names))


def validation_set(dataset: str) -> ValidationSet:
    """The validation split, or an error on the page (never a traceback) when it cannot be loaded."""
    try:
        return _validation_set(dataset)
    except (DatasetUnavailable, ValueError) as exc:
        st.error(t("error.dataset", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_data(show_spinner=False, max_entries=64)
def encodings(_model: Any, model_key: str, dataset: str) -> EncodedSet:
    """μ (and σ for a VAE) of every validation image, computed once per model."""
    return encode(_model, _validation_set(dataset).images)


@st.cache_data(show_spinner=False, max_entries=64)
def projection(_model: Any, model_key: str, dataset: str, method: str) -> Projection:
    """The codes in 2-D: themselves for a 1- or 2-D latent space, else PCA or t-SNE (slow, hence cached)."""
    return project_2d(encodings(_model, model_key, dataset).mu, method=method)


@st.cache_data(show_spinner=False, max_entries=128)
def grid_picture(_model: Any, model_key: str, n: int, dims: tuple[int, int], extent: float, spacing: str) -> str:
    """The manifold figure, an n×n grid of decoded codes over two dimensions, the others at 0 (a
    single row of n codes for a 1-D latent space), as an inline PNG for st.image.

    Cached encoded: a class asks for the same few grids, and encoding one took longer than
    decoding it (12–24 ms against 2 ms), in the interpreter lock every session shares."""
    codes = grid_codes(n, latent_dim=_model.config.latent_dim, dims=dims, extent=extent, spacing=spacing)
    return png_data_url(enlarge(tile_images(decode(_model, codes), nrow=n)))


@st.cache_data(show_spinner=False, max_entries=64)
def prior_samples_picture(_model: Any, model_key: str, n: int, seed: int) -> str:
    """n decoded samples z ~ N(0, I), tiled in a square, as an inline PNG (cached encoded, as the grid)."""
    side = int(np.ceil(np.sqrt(n)))
    samples = decode(_model, sample_prior(n, _model.config.latent_dim, seed=seed))
    return png_data_url(enlarge(tile_images(samples, nrow=side)))


@st.cache_data(show_spinner=False, max_entries=64)
def slider_ranges(_model: Any, model_key: str, dataset: str) -> np.ndarray:
    """(D, 2) slider bounds per dimension: ±4 for a VAE, the span of the validation codes for an AE
    (whose codes have no prescribed scale), padded and rounded, always including 0."""
    mu = encodings(_model, model_key, dataset).mu
    if _model.is_variational:
        bound = np.maximum(VAE_SLIDER_RANGE, np.ceil(np.abs(mu).max(axis=0)))
        return np.stack([-bound, bound], axis=1)
    low, high = mu.min(axis=0), mu.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-3)
    low, high = np.minimum(low - pad, 0.0), np.maximum(high + pad, 0.0)
    step = np.where(high - low > 10, 1.0, 0.5)
    return np.stack([np.floor(low / step) * step, np.ceil(high / step) * step], axis=1)


def decoded_strip(model: Any, codes: Any, *, min_side: int = 160) -> np.ndarray:
    """Codes (N, D) decoded in one batch and tiled in one row."""
    images = decode(model, codes)
    return enlarge(tile_images(images, nrow=len(images)), min_side)


def decoded_pictures(model: Any, codes: Any, *, tile_side: int = 84) -> tuple[np.ndarray, list[np.ndarray]]:
    """Codes (N, D) decoded in one batch: the row of all images (for the page and the PNG) and one
    picture per image (the GIF's frames), each image enlarged to about `tile_side` pixels."""
    images = decode(model, codes)
    strip = enlarge(tile_images(images, nrow=len(images)), tile_side * len(images))
    frames = [enlarge(tile_images(images[i : i + 1], nrow=1, padding=0), tile_side * 2) for i in range(len(images))]
    return strip, frames


def reconstruction(model: Any, validation: ValidationSet, index: int, min_side: int = 160) -> np.ndarray:
    """What the model makes of one validation image, decoded from its mean code."""
    return enlarge(tile_images(reconstruct(model, validation.images[index : index + 1]), nrow=1, padding=0), min_side)


# --- uses: anomaly detection and denoising ----------------------------------------------------

NOISE_KINDS = ("gaussian", "salt_pepper", "square")


@st.cache_data(show_spinner=False, max_entries=64)
def reconstruction_errors(_model: Any, model_key: str, dataset: str) -> np.ndarray:
    """−log p(x | z = μ(x)) of every validation image, in nats: high for images unlike the training set."""
    return evaluate(_model, _validation_set(dataset).images).per_image_error


def reconstruction_error(model: Any, images: np.ndarray) -> np.ndarray:
    return evaluate(model, images).per_image_error


@st.cache_data(show_spinner=False, max_entries=64)
def unlike_image_errors(_model: Any, model_key: str, dataset: str, count: int) -> dict[str, np.ndarray]:
    """Reconstruction errors of images unlike the training set: the first `count` validation images
    inverted, and as many of uniform noise (computed once per model, not on every move of the page)."""
    sample = _validation_set(dataset).pixels[:count]
    noise = np.random.default_rng(0).random(sample.shape, dtype=np.float32)
    return {"inverted": reconstruction_error(_model, 1.0 - sample), "noise": reconstruction_error(_model, noise)}


def corrupt(images: np.ndarray, kind: str, level: float, seed: int = 0) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1] with noise: Gaussian (σ = level), salt and pepper (a fraction
    `level` of pixels set to 0 or 1) or a blank square hiding about `level` of the image."""
    rng = np.random.default_rng(seed)
    noisy = images.astype(np.float32).copy()
    if kind == "gaussian":
        noisy += rng.normal(0.0, level, size=noisy.shape).astype(np.float32)
    elif kind == "salt_pepper":
        hit = rng.random(noisy.shape) < level
        noisy[hit] = rng.integers(0, 2, size=int(hit.sum())).astype(np.float32)
    elif kind == "square":
        h, w = noisy.shape[-2:]
        side_h, side_w = max(1, round(h * np.sqrt(level))), max(1, round(w * np.sqrt(level)))
        for image in noisy:
            top, left = rng.integers(0, h - side_h + 1), rng.integers(0, w - side_w + 1)
            image[..., top : top + side_h, left : left + side_w] = 0.0
    else:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, not {kind!r}")
    return np.clip(noisy, 0.0, 1.0)


def reconstruct_array(model: Any, images: np.ndarray) -> np.ndarray:
    """What the model makes of arbitrary images (N, C, H, W) in [0, 1]: decode of the mean code."""
    return reconstruct(model, images).numpy()


def row_picture(images: Any, *, tile_side: int = 84) -> np.ndarray:
    """Images (N, C, H, W) tiled in one row, each enlarged to about `tile_side` pixels."""
    return enlarge(tile_images(images, nrow=len(images)), tile_side * len(images))

"""Results derived from a model, computed with vae_core and cached once per server.

Cached functions take the `LoadedModel` itself, hashed by its file version (`MODEL_HASH`), so a
result is shared by every session and recomputed when a checkpoint file is replaced. Everything
is numpy; the pictures a class asks for most (grids, prior samples) are cached already encoded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from vae_core import (
    DatasetUnavailable,
    EncodedSet,
    Projection,
    code_ranges,
    decode,
    encode,
    evaluate,
    grid_codes,
    importance_bounds,
    load_dataset,
    project_2d,
    reconstruct,
    sample_prior,
)

from .catalog import MODEL_HASH, LoadedModel
from .images import picture_url
from .texts import plain, t


@dataclass(frozen=True)
class ValidationSet:
    """A data set's validation split: the images the pages encode, show and pick from."""

    dataset: str
    images: np.ndarray  # (N, C, H, W) float32 in [0, 1], shared: read only
    labels: np.ndarray  # (N,) int
    class_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def indices_of(self, label: int) -> np.ndarray:
        return np.flatnonzero(self.labels == label)

    def picture_url(self, index: int, min_side: int = 160) -> str:
        return picture_url(self.images[index : index + 1], min_side=min_side, padding=0)


@st.cache_resource(show_spinner=False)
def _validation_set(dataset: str) -> ValidationSet:
    split = load_dataset(dataset)
    images, labels = np.asarray(split.val_images), np.asarray(split.val_labels)
    return ValidationSet(dataset, images, labels, tuple(split.class_names))


def validation_set(dataset: str) -> ValidationSet:
    """The validation split, or an error on the page (never a traceback) when it cannot be loaded."""
    try:
        return _validation_set(dataset)
    except (DatasetUnavailable, ValueError) as exc:
        st.error(t("error.dataset", detail=plain(str(exc))))
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def encodings(model: LoadedModel) -> EncodedSet:
    """μ (and σ for a VAE) of every validation image."""
    return encode(model.model, _validation_set(model.dataset).images)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def projection(model: LoadedModel, method: str) -> Projection:
    """The codes in 2-D: themselves for a 1- or 2-D latent space, else PCA or t-SNE (slow)."""
    return project_2d(encodings(model).mu, method=method)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def slider_ranges(model: LoadedModel) -> np.ndarray:
    """(D, 2) bounds of each latent slider, from the model's validation codes."""
    return code_ranges(encodings(model).mu, variational=model.is_variational)


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=MODEL_HASH)
def grid_picture(model: LoadedModel, n: int, dims: tuple[int, int], extent: float, spacing: str) -> str:
    """The manifold figure, an n×n grid of decoded codes over two dimensions, the others at 0 (one
    row of n codes for a 1-D latent space). Cached encoded: encoding costs more than decoding."""
    codes = grid_codes(n, latent_dim=model.latent_dim, dims=dims, extent=extent, spacing=spacing)
    return picture_url(decode(model.model, codes), per_row=n)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def prior_samples_picture(model: LoadedModel, n: int, seed: int) -> str:
    """n decoded samples z ~ N(0, I), tiled in a square, cached encoded as the grid."""
    samples = decode(model.model, sample_prior(n, model.latent_dim, seed=seed))
    return picture_url(samples, per_row=int(np.ceil(np.sqrt(n))))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def reconstruction_errors(model: LoadedModel) -> np.ndarray:
    """−log p(x | z = μ(x)) of every validation image, in nats: high for images unlike the training set."""
    return evaluate(model.model, _validation_set(model.dataset).images).per_image_error


@dataclass(frozen=True)
class ImageBounds:
    """Two lower bounds on log p(x) of one image under a VAE, in nats, from the same K samples of q(z|x)."""

    elbo: float  # the mean of the K log-weights
    iwae: float  # the log of their mean weight (Burda et al., 2016): never below `elbo`
    samples: int  # K


@st.cache_data(show_spinner=False, max_entries=2048, hash_funcs=MODEL_HASH)
def image_bounds(model: LoadedModel, index: int) -> ImageBounds:
    """The ELBO and the importance-weighted bound (K = 1000) of one validation image of a VAE: 1000
    decodings, 10 ms for the 2-D MLP and 0.1 s for the conv decoder on 2 cores (all 500 validation
    images would take 2 s and 45 s). Cached, as the page reruns on every click."""
    bounds = importance_bounds(model.model, _validation_set(model.dataset).images[index : index + 1])
    return ImageBounds(float(bounds.elbo[0]), float(bounds.iwae[0]), bounds.samples)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def unlike_image_errors(model: LoadedModel, count: int) -> dict[str, np.ndarray]:
    """Reconstruction errors of images unlike the training set: the first `count` validation images
    inverted, and as many of uniform noise."""
    sample = _validation_set(model.dataset).images[:count]
    noise = np.random.default_rng(0).random(sample.shape, dtype=np.float32)
    return {
        kind: evaluate(model.model, images).per_image_error
        for kind, images in (("inverted", 1.0 - sample), ("noise", noise))
    }


def decoded(model: LoadedModel, codes: np.ndarray) -> np.ndarray:
    """Codes (N, D) → images (N, C, H, W) in [0, 1]."""
    return decode(model.model, codes)


def reconstructed(model: LoadedModel, images: np.ndarray) -> np.ndarray:
    """What the model makes of images (N, C, H, W): the decoded mean code."""
    return reconstruct(model.model, images)

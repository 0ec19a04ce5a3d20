"""Results derived from a model, computed with vae_core and cached once per server.

Cached functions take the `LoadedModel` itself, hashed by its file version (`MODEL_HASH`), so a
result is shared by every session and recomputed when a checkpoint file is replaced. Everything
is numpy; the pictures a class asks for most (grids, prior samples) are cached already encoded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from vae_core import (
    CheckpointError,
    DatasetUnavailable,
    EncodedSet,
    Evaluation,
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
from vae_core.anomaly import AnomalyImages, AnomalyScores, anomaly_scores
from vae_core.anomaly import anomaly_images as split_anomaly_images
from vae_core.attributes import attribute_direction, class_means, measure
from vae_core.augmentation import ExperimentSettings, experiment_from_file
from vae_core.background import BackgroundCall
from vae_core.conditional import every_digit_in, random_styles, style_of
from vae_core.corruption import DENOISE_SEED, Restoration, corrupt, psnr, restore
from vae_core.evaluator import features_and_classes, readings
from vae_core.imputation import Completion, complete, hidden_error, inpaint
from vae_core.latent import plane_codes, traversal_codes
from vae_core.shipped import EVALUATOR_FILE

from .cached_models import MODEL_HASH, LoadedModel, load_shipped
from .images import picture_url
from .texts import class_label, plain, t


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

    def alt(self, index: int) -> str:
        """The image's text alternative: what it is, by its label ("A validation image of a 7")."""
        return t("alt.validation_image", label=class_label(self.class_names[int(self.labels[index])]))


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
def validation_figures(model: LoadedModel) -> Evaluation:
    """Reconstruction (per image too), KL, ELBO, the KL of each latent dimension and the active units on the
    validation split, with the fixed noise a checkpoint's recorded figures were measured with."""
    return evaluate(model.model, _validation_set(model.dataset).images)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def reconstructions_picture(model: LoadedModel, indices: tuple[int, ...]) -> str:
    """Validation images (one row) over their reconstructions (a second row), cached encoded."""
    images = _validation_set(model.dataset).images[list(indices)]  # (N, C, H, W)
    return picture_url(np.concatenate([images, reconstruct(model.model, images)]), per_row=len(indices))


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def traversal_picture(model: LoadedModel, index: int, dims: tuple[int, ...], steps: int, extent: float) -> str:
    """A latent traversal: the code μ(x) of validation image `index`, one row per dimension of `dims`
    swept from −extent to +extent in `steps` steps, decoded; cached encoded."""
    values = np.linspace(-extent, extent, steps, dtype=np.float32)
    codes = traversal_codes(encodings(model).mu[index], dims, values)
    return picture_url(decode(model.model, codes), per_row=steps)


PLANE_READING_SIDE = 24  # cells a side: a keyboard step is a fiftieth of the plane, a cell about two


def digit_reader(model: LoadedModel) -> LoadedModel | None:
    """The shipped evaluator where it can read this model's images (MNIST digits, its image shape);
    None elsewhere (the 8×8 digits, clothes, a user's own images), and none is pretended."""
    try:
        evaluator = load_shipped(EVALUATOR_FILE)
    except CheckpointError:
        return None
    if evaluator is None or model.dataset != "mnist":
        return None
    return evaluator if evaluator.info.config.image_shape == model.info.config.image_shape else None


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def plane_readings(
    model: LoadedModel,
    reader: LoadedModel,
    dims: tuple[int, int],
    extent: tuple[float, float, float, float],
    base: np.ndarray,
) -> list[int]:
    """What the evaluator reads in the decoded image at each cell of a pad's plane (row-major, top row
    first; -1 where it is unsure): said to a screen reader as the keys move the code. Once per view."""
    codes = plane_codes(extent, PLANE_READING_SIDE, dims=dims, base=base)
    return readings(reader.model, decode(model.model, codes)).tolist()


def decoded(model: LoadedModel, codes: np.ndarray) -> np.ndarray:
    """Codes (N, D) → images (N, C, H, W) in [0, 1]."""
    return decode(model.model, codes)


def reconstructed(model: LoadedModel, images: np.ndarray) -> np.ndarray:
    """What the model makes of images (N, C, H, W): the decoded mean code."""
    return reconstruct(model.model, images)


# --- Uses page: denoising and anomaly detection ---------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def restoration(model: LoadedModel, clean: np.ndarray, noisy: np.ndarray) -> Restoration:
    """What the model makes of noisy images (N, C, H, W), scored against the clean ones in nats and PSNR."""
    return restore(model.model, clean, noisy)


@st.cache_data(show_spinner=False, max_entries=64)
def validation_noise(dataset: str, kind: str, level: float) -> tuple[np.ndarray, float]:
    """Every validation image with the fixed noise (`DENOISE_SEED`) of this kind and level, and the
    noisy images' mean PSNR against the clean ones, in dB."""
    clean = _validation_set(dataset).images
    noisy = corrupt(clean, kind, level, seed=DENOISE_SEED)
    return noisy, float(psnr(clean, noisy).mean())


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def validation_restoration(model: LoadedModel, kind: str, level: float) -> tuple[float, float]:
    """Mean nats and mean PSNR (dB) of the model's restorations of every validation image from
    `validation_noise`: the figures of a whole split, where the rows on the page show a few images."""
    noisy, _ = validation_noise(model.dataset, kind, level)
    result = restore(model.model, _validation_set(model.dataset).images, noisy)
    return float(result.nats.mean()), float(result.psnr.mean())


@st.cache_resource(show_spinner=False, max_entries=8)
def anomaly_images(dataset: str, digit: int, extra: int) -> AnomalyImages:
    """Normal validation images, the left-out `digit`, and `extra` inverted and noise images, once per server."""
    return split_anomaly_images(load_dataset(dataset), digit, extra)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=MODEL_HASH)
def unusual_scores(model: LoadedModel, digit: int, extra: int) -> dict[str, AnomalyScores]:
    """Anomaly scores of each group of `anomaly_images` ("normal", "unseen", "inverted", "noise"),
    computed once per model: moving a threshold only compares numbers."""
    groups = anomaly_images(model.dataset, digit, extra).groups()
    return {name: anomaly_scores(model.model, x) for name, x in groups.items()}


# --- Draw page: one image of the user's own -------------------------------------------------------


@dataclass(frozen=True)
class NewImage:
    """What a model makes of one image that is not in the data set (a drawing, a photo)."""

    mu: np.ndarray  # (D,): its code, or the VAE's posterior mean
    sigma: np.ndarray | None  # (D,): the VAE's posterior standard deviations; None for the AE
    reconstruction: np.ndarray  # (1, C, H, W)
    error: float  # −log p(x | z = μ(x)) in nats, as `validation_figures` measures the validation images
    percentile: float  # the share of validation images, in %, that reconstruct better than this one


def new_image(model: LoadedModel, image: np.ndarray) -> NewImage:
    """Encode, reconstruct and score one image (1, C, H, W) against the validation images' errors.
    Not cached: one image takes a few milliseconds, and a drawing changes with every stroke."""
    code = encode(model.model, image)
    error = float(evaluate(model.model, image).per_image_error[0])
    errors = validation_figures(model).per_image_error  # the β page's evaluation, cached once per model
    return NewImage(
        mu=code.mu[0],
        sigma=None if code.sigma is None else code.sigma[0],
        reconstruction=decode(model.model, code.mu),
        error=error,
        percentile=100.0 * float(np.mean(errors < error)),
    )


# --- Fill-in page: imputation ---------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def filled_in(model: LoadedModel, images: np.ndarray, hidden: np.ndarray, method: str) -> Completion:
    """The AE's or VAE's completion of images (N, C, H, W) with `hidden` (H, W) pixels unknown."""
    return complete(model.model, images, hidden, method)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=MODEL_HASH)
def inpainted(flow: LoadedModel, images: np.ndarray, hidden: np.ndarray, seed: int) -> Completion:
    """The diffusion model's sampled completion: another seed, another plausible digit."""
    return inpaint(flow.model, images, hidden, seed=seed)


def read_as(classifier: LoadedModel, images: np.ndarray) -> np.ndarray:
    """(N,) the evaluator classifier's digit for each image. Not cached: a few images take milliseconds."""
    return features_and_classes(classifier.model, images)[1]


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def validation_fill_figures(
    completers: tuple[tuple[str, LoadedModel, str], ...], classifier: LoadedModel, hidden: np.ndarray, count: int
) -> list[tuple[str, float, float]]:
    """(name, mean error on the hidden pixels, share the classifier reads as the true digit) of each
    (name, model, method) on the first `count` validation images, with this mask; method "sample" is
    the diffusion model's inpainting. Once per server and mask: the figures a class compares."""
    validation = _validation_set(completers[0][1].dataset)
    images, labels = validation.images[:count], validation.labels[:count]
    rows = []
    for name, model, method in completers:
        done = (
            inpaint(model.model, images, hidden)
            if method == "sample"
            else complete(model.model, images, hidden, method)
        )
        errors = hidden_error(done.result, images, hidden)
        rows.append((name, float(errors.mean()), float(np.mean(read_as(classifier, done.result) == labels))))
    return rows


# --- Style page: attribute directions -------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _training_images(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    data = load_dataset(dataset)
    return data.train_images.numpy(), data.train_labels.numpy()


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def style_direction(model: LoadedModel, attribute: str) -> np.ndarray:
    """(D,) the model's direction of one attribute, from its training images' codes and measures."""
    images, labels = _training_images(model.dataset)
    return attribute_direction(encode(model.model, images).mu, measure(images, attribute), labels)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=MODEL_HASH)
def mean_codes(model: LoadedModel) -> np.ndarray:
    """(classes, D) the mean code of each digit's training images."""
    images, labels = _training_images(model.dataset)
    return class_means(encode(model.model, images).mu, labels, len(_validation_set(model.dataset).class_names))


# --- Synthetic-data page: the conditional VAE and the augmentation experiment ----------------------


def in_every_digit(model: LoadedModel, styles: np.ndarray) -> np.ndarray:
    """Each style (S, D) written as every digit: (S, classes, C, H, W). Not cached: one small decode."""
    return every_digit_in(model.model, styles)


def handwriting(model: LoadedModel, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(N, D) the style codes of labelled images (N, C, H, W)."""
    return style_of(model.model, images, labels)


def prior_styles(model: LoadedModel, n: int, seed: int) -> np.ndarray:
    return random_styles(model.model, n, seed=seed)


@dataclass
class _ExperimentCalls:
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: dict[tuple[str, ExperimentSettings], BackgroundCall] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def _experiment_calls() -> _ExperimentCalls:
    return _ExperimentCalls()


def experiment(model: LoadedModel, settings: ExperimentSettings, *, start: bool) -> BackgroundCall | None:
    """The augmentation experiment with these settings, one per server and model version, shared by
    every session: started in a child process when `start` (again if it failed), else None until someone has."""
    shared, key = _experiment_calls(), (model.file.key, settings)
    with shared.lock:
        call = shared.calls.get(key)
        if start and (call is None or call.state().error is not None):
            call = shared.calls[key] = BackgroundCall(experiment_from_file, str(model.file.path), settings).start()
    return call

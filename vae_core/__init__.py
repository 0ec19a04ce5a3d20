"""Latent Lab's engine: autoencoder and VAE models, data, training, checkpoints and latent maths.

No Streamlit here: the app's pages call these functions, and so do the CLI, tests and benches.
"""

from .autoencoder_training import StepReport, TrainResult, TrainSettings, train_model
from .checkpoint import (
    CheckpointError,
    CheckpointInfo,
    DestinationError,
    check_destination,
    load_checkpoint,
    read_checkpoint,
    remove_stale_temporaries,
    save_checkpoint,
)
from .corruption import NOISE_KINDS, corrupt
from .data import DATASETS, DatasetSplit, DatasetUnavailable, load_dataset
from .evaluation import Evaluation, ImportanceBounds, evaluate, importance_bounds, iwae_bound
from .latent import (
    VAE_CODE_RANGE,
    EncodedSet,
    Projection,
    code_ranges,
    decode,
    encode,
    grid_codes,
    grid_coordinates,
    interpolate,
    project_2d,
    reconstruct,
    sample_prior,
    tile_images,
)
from .losses import LossTerms, ae_loss, bernoulli_nll, gaussian_kl, model_loss, vae_loss
from .models import VAE, Autoencoder, LatentModel, ModelConfig, build_model, count_parameters, default_device

__all__ = [
    "DATASETS",
    "NOISE_KINDS",
    "VAE",
    "VAE_CODE_RANGE",
    "Autoencoder",
    "CheckpointError",
    "CheckpointInfo",
    "DatasetSplit",
    "DatasetUnavailable",
    "DestinationError",
    "EncodedSet",
    "Evaluation",
    "ImportanceBounds",
    "LatentModel",
    "LossTerms",
    "ModelConfig",
    "Projection",
    "StepReport",
    "TrainResult",
    "TrainSettings",
    "ae_loss",
    "bernoulli_nll",
    "build_model",
    "check_destination",
    "code_ranges",
    "corrupt",
    "count_parameters",
    "decode",
    "default_device",
    "encode",
    "evaluate",
    "gaussian_kl",
    "grid_codes",
    "grid_coordinates",
    "importance_bounds",
    "interpolate",
    "iwae_bound",
    "load_checkpoint",
    "load_dataset",
    "model_loss",
    "project_2d",
    "read_checkpoint",
    "reconstruct",
    "remove_stale_temporaries",
    "sample_prior",
    "save_checkpoint",
    "tile_images",
    "train_model",
    "vae_loss",
]

"""Latent Lab's engine: autoencoder and VAE models, data, training, checkpoints and latent maths.

No Streamlit here: the app's pages call these functions, and so do the CLI, tests and benches.
"""

from .checkpoint import CheckpointError, CheckpointInfo, load_checkpoint, read_checkpoint, save_checkpoint
from .data import DATASETS, DatasetSplit, DatasetUnavailable, dataset_names, load_dataset
from .evaluation import Evaluation, evaluate
from .latent import (
    EncodedSet,
    Projection,
    decode,
    decode_grid,
    encode,
    grid_codes,
    grid_coordinates,
    interpolate,
    project_2d,
    reconstruct,
    sample_prior,
    tile_images,
    traverse,
)
from .losses import LossTerms, ae_loss, bernoulli_nll, gaussian_kl, model_loss, vae_loss
from .models import VAE, Autoencoder, LatentModel, ModelConfig, build_model, count_parameters, default_device
from .training import StepReport, TrainResult, TrainSettings, train_model

__all__ = [
    "Autoencoder", "CheckpointError", "CheckpointInfo", "DATASETS", "DatasetSplit", "DatasetUnavailable",
    "EncodedSet", "Evaluation", "LatentModel", "LossTerms", "ModelConfig", "Projection", "StepReport",
    "TrainResult", "TrainSettings", "VAE", "ae_loss", "bernoulli_nll", "build_model", "count_parameters",
    "dataset_names", "decode", "decode_grid", "default_device", "encode", "evaluate", "gaussian_kl",
    "grid_codes", "grid_coordinates", "interpolate", "load_checkpoint", "load_dataset", "model_loss",
    "project_2d", "read_checkpoint", "reconstruct", "sample_prior", "save_checkpoint", "tile_images",
    "train_model", "traverse", "vae_loss",
]  # fmt: skip

"""Command line: train one model and save its checkpoint.

    python -m vae_core.train --model vae --dataset mnist --latent-dim 2 --epochs 30 --out checkpoints/my-vae.pt

`--help` lists every option with its default.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .autoencoder_training import DEFAULT_CORRUPTION_LEVEL, TrainSettings
from .data import DATASETS, DatasetUnavailable, load_dataset
from .models import (
    MAX_CONV_CHANNELS,
    MAX_CONV_LAYERS,
    MAX_LATENT_DIM,
    MAX_MLP_LAYERS,
    MAX_MLP_WIDTH,
    MIN_LATENT_DIM,
    ModelConfig,
)
from .settings import add_options, from_options

DEFAULT_MODEL = ModelConfig()


def _int_tuple(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers such as 512,256, not {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive integers, not {text!r}")
    return values


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m vae_core.train",
        description="Train an autoencoder or a VAE and save it as a Latent Lab checkpoint.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--model", choices=["ae", "vae"], default=DEFAULT_MODEL.kind, help="plain autoencoder or VAE")
    p.add_argument("--dataset", choices=list(DATASETS), default="mnist", help="data set")
    p.add_argument("--arch", choices=["mlp", "conv"], default=DEFAULT_MODEL.arch, help="encoder/decoder backbone")
    p.add_argument(
        "--latent-dim",
        type=int,
        default=DEFAULT_MODEL.latent_dim,
        help=f"latent size, {MIN_LATENT_DIM} to {MAX_LATENT_DIM}",
    )
    p.add_argument(
        "--hidden",
        type=_int_tuple,
        default=DEFAULT_MODEL.hidden_dims,
        metavar="N,N",
        help=f"MLP hidden widths, encoder order (at most {MAX_MLP_LAYERS}, each 1 to {MAX_MLP_WIDTH})",
    )
    p.add_argument(
        "--channels",
        type=_int_tuple,
        default=DEFAULT_MODEL.conv_channels,
        metavar="N,N",
        help=f"conv channels, encoder order (each layer halves the image side; at most {MAX_CONV_LAYERS}, "
        f"each 1 to {MAX_CONV_CHANNELS})",
    )
    add_options(p, TrainSettings)  # --epochs to --augment-rotation, from the dataclass's fields
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="auto: CUDA when present")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="checkpoint path (default: checkpoints/trained/<dataset>-<model>-...pt, a new name)",
    )
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--half", action="store_true", help="store float16 weights (half the file size)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def summary_line(path: Path, trained) -> str:
    v, cfg, r = trained.validation, trained.info.config, trained.result
    figure = (
        f"validation ELBO {v.elbo:.2f} nats (reconstruction {v.recon:.2f}, KL {v.kl:.2f})"
        if v.elbo is not None
        else f"validation reconstruction {v.recon:.2f} nats"
    )
    s, metrics = trained.info.settings, trained.info.metrics
    if s.corruption is not None:
        figure += (
            f"; denoising ({s.corruption} noise, level {s.corruption_level:g}): {metrics['denoise_recon']:.2f} nats "
            "from noisy validation images to the clean ones"
        )
    if s.without_digit is not None:
        figure += (
            f"; trained without the {s.without_digit}s, which it reconstructs with {metrics['unseen_recon']:.2f} nats "
            "(the figures before are on the other digits)"
        )
    return (
        f"saved {path}: {cfg.kind.upper()} {cfg.arch} {cfg.latent_dim}-D on {trained.info.dataset}, "
        f"{r.epochs_completed} epochs in {r.seconds:.1f} s, {figure}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = getattr(args, "corruption_level", None)
    if level is not None and args.corruption is None:
        parser.error("--corruption-level needs --corruption (gaussian, salt_pepper or square)")
    try:
        config = ModelConfig(
            kind=args.model,
            arch=args.arch,
            image_shape=DATASETS[args.dataset].image_shape,
            latent_dim=args.latent_dim,
            hidden_dims=args.hidden,
            conv_channels=args.channels,
        )
        settings = from_options(
            TrainSettings,
            args,
            corruption_level=0.0 if args.corruption is None else DEFAULT_CORRUPTION_LEVEL if level is None else level,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.device == "cuda":
        import torch  # noqa: PLC0415

        if not torch.cuda.is_available():
            parser.error("--device cuda: no CUDA device is available here (use --device auto or cpu)")
    from .autoencoder_pipeline import TrainingDiverged, fit, save_trained, unique_checkpoint_name  # noqa: PLC0415 - fast --help
    from .checkpoint import DestinationError, check_destination, remove_stale_temporaries  # noqa: PLC0415
    from .progress import ProgressBar  # noqa: PLC0415

    out = args.out or Path("checkpoints") / "trained" / unique_checkpoint_name(args.dataset, config)
    if out.suffix != ".pt":
        parser.error(f"--out must end in .pt, not {out.name!r}")
    try:  # before training: an hour of work must not end in "cannot save"
        check_destination(out, overwrite=args.overwrite)
    except DestinationError as exc:
        hint = "; pass --overwrite to replace it, or choose another --out" if exc.problem == "already exists" else ""
        parser.error(f"{exc}{hint}")
    remove_stale_temporaries(out.parent)
    try:
        load_dataset(args.dataset)  # fail with a clear message before any progress bar appears
        with ProgressBar(desc=f"{args.model} {args.dataset} {args.latent_dim}-D", disable=args.quiet) as bar:
            trained = fit(
                dataset=args.dataset,
                model_config=config,
                settings=settings,
                on_step=bar.update,
                device=None if args.device == "auto" else args.device,
                half_precision=args.half,
            )
        path = save_trained(trained, out, overwrite=args.overwrite, half_precision=args.half)
    except DatasetUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was saved", file=sys.stderr)
        return 130
    except TrainingDiverged as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, or the folder changed since it was checked
        print(f"error: could not save {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(summary_line(path, trained))
    return 0


if __name__ == "__main__":
    sys.exit(main())

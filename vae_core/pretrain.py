"""Rebuild every model shipped in checkpoints/ from scratch, with the project's own recipe.

    python -m vae_core.pretrain              # all models, then a table
    python -m vae_core.pretrain --only mnist-vae-mlp-2d --out /tmp/ckpt
    python -m vae_core.pretrain --quick --out /tmp/smoke   # 1/20 of the epochs: a smoke test
    python -m vae_core.pretrain --only generative/mnist-gan-16d --out /tmp/ckpt

Only a full rebuild writes to checkpoints/ by default: `--only` and `--quick` need `--out`, and a
quick model is never written there, so a smoke test cannot replace a shipped model.

Each AE/VAE pair shares every setting (architecture, epochs, seed, schedule) so that the app's
comparisons are fair. Then the evaluator classifier (evaluator/), and the GANs and the diffusion
model (generative/), each measured with that evaluator. The run also trains the benchmark's plain
recipe (784-400-2 MLP, Adam 1e-3, batch 128, 30 epochs) on the same split and prints how far the
shipped 2-D VAE beats it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .autoencoder_pipeline import TrainedModel, TrainingDiverged, fit, save_trained
from .autoencoder_training import TrainSettings
from .checkpoint import DestinationError, check_destination, load_checkpoint, remove_stale_temporaries, save_checkpoint
from .comparison import measure, measure_real
from .conditional import ConditionalConfig
from .data import DATASETS, load_dataset
from .diffusion import DiffusionConfig
from .evaluation import iwae_bound
from .evaluator import ClassifierConfig, DigitClassifier
from .gan import GANConfig
from .generative_pipeline import TrainedGenerative, fit_generative, load_evaluator, save_generative
from .generative_training import ClassifierSettings, ConditionalSettings, DiffusionSettings, GanSettings, Settings
from .models import ModelConfig
from .progress import ProgressBar
from .shipped import (
    BETA_LADDER,
    COLLAPSING_GAN_FILE,
    COMPARED,
    CONDITIONAL_FILE,
    DIFFUSION_FILE,
    EVALUATOR_FILE,
    GAN_2D_FILE,
    GAN_16D_FILE,
    UNSEEN_DIGIT,
)

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"


@dataclass(frozen=True)
class PairSpec:
    """An AE/VAE pair trained with identical settings; files are <data>-<ae|vae>-<arch>-<n>d[-<suffix>].pt.

    A variant of a base pair (denoising, a digit left out, another β) has the same net and recipe
    plus its one change, and a suffix; `kinds` trains one member only where the other would add
    nothing (β weighs the KL term, which an AE does not have)."""

    dataset: str
    model: ModelConfig  # kind is set per member of the pair
    settings: TrainSettings
    suffix: str = ""
    kinds: tuple[str, ...] = ("ae", "vae")

    def file_name(self, kind: str) -> str:
        m = self.model
        tail = f"-{self.suffix}" if self.suffix else ""
        return f"{self.dataset}-{kind}-{m.arch}-{m.latent_dim}d{tail}.pt"


def _mnist(latent_dim: int, **kw) -> ModelConfig:
    return ModelConfig(image_shape=DATASETS["mnist"].image_shape, latent_dim=latent_dim, **kw)


def _recipe(epochs: int, *, augment_shift: float = 0.0, augment_rotation: float = 0.0) -> TrainSettings:
    """Every setting spelled out, so later changes to TrainSettings' defaults leave these alone."""
    return TrainSettings(
        epochs=epochs,
        augment_shift=augment_shift,
        augment_rotation=augment_rotation,
        batch_size=128,
        lr=3e-3,
        lr_schedule="onecycle",
        beta=1.0,
        kl_warmup_epochs=0.0,
        weight_decay=0.0,
        adam_beta2=0.999,
        seed=0,
    )


SHIPPED: tuple[PairSpec, ...] = (
    # 2-D: the grid and the scatter. 256-128 matches wider nets at a fraction of the size. Plain, longer
    # runs overfit the 4,500 images; each minibatch shifted by up to 1 pixel and turned by up to 5° they
    # do not, and the VAE's validation ELBO gains 8 nats (README, "A better 2-D MNIST model"). The 300
    # epochs were chosen on a held-out tenth of the training split, never on the validation split:
    # ELBO −147.7, −145.1, −142.0, −142.1, −141.0 after 100, 200, 300, 400, 600 epochs.
    PairSpec("mnist", _mnist(2, hidden_dims=(256, 128)), _recipe(300, augment_shift=1.0, augment_rotation=5.0)),
    # 16-D: sharper reconstructions, sliders and projections.
    PairSpec("mnist", _mnist(16, hidden_dims=(256, 128)), _recipe(100)),
    # Conv 16-D: sharper than the MLP at a fraction of its size; slower to train on a CPU.
    PairSpec("mnist", _mnist(16, arch="conv", conv_channels=(32, 64)), _recipe(60)),
    PairSpec("digits", ModelConfig(image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(128, 64)), _recipe(150)),
)
_MLP_16D, _CONV_16D = SHIPPED[1], SHIPPED[2]

# Lesson models (file names fixed in shipped.py): each the base pair's net and recipe plus one change.
LESSON_MODELS: tuple[PairSpec, ...] = (
    # Denoising: fresh Gaussian noise of σ = 0.5 on every training input, clean targets. Strong enough
    # to blot out a digit's edges, the level the Uses page's noise slider reaches comfortably.
    replace(
        _CONV_16D, settings=replace(_CONV_16D.settings, corruption="gaussian", corruption_level=0.5), suffix="denoising"
    ),
    # Anomaly detection: the MLP 16-D pair never sees the unseen digit (shipped.UNSEEN_DIGIT).
    replace(_MLP_16D, settings=replace(_MLP_16D.settings, without_digit=UNSEEN_DIGIT), suffix=f"no{UNSEEN_DIGIT}"),
    # The β ladder (β = 1 is the 16-D VAE itself): VAEs only.
    *(
        replace(_MLP_16D, settings=replace(_MLP_16D.settings, beta=beta), suffix=f"beta{beta:g}", kinds=("vae",))
        for beta in sorted(BETA_LADDER)
        if beta != 1.0
    ),
)
SHIPPED += LESSON_MODELS

# The benchmark's plain recipe, trained for comparison only (never shipped).
PLAIN_RECIPE = PairSpec(
    "mnist",
    _mnist(2, hidden_dims=(400,)),
    TrainSettings(epochs=30, batch_size=128, lr=1e-3, lr_schedule="constant", adam_beta2=0.999),
)


@dataclass(frozen=True)
class GenerativeSpec:
    """A GAN, diffusion model, conditional VAE or the evaluator, saved under its path in checkpoints/ (shipped.py)."""

    file: str
    config: GANConfig | DiffusionConfig | ClassifierConfig | ConditionalConfig
    settings: Settings


# The evaluator comes first: every generative model after it is measured with it.
GENERATIVE: tuple[GenerativeSpec, ...] = (
    GenerativeSpec(EVALUATOR_FILE, ClassifierConfig(), ClassifierSettings(epochs=30)),
    # The stable recipe: DCGAN's nets and Adam settings, spectral norm on the discriminator, one-sided
    # label smoothing, DiffAugment's translation on real and generated images, a moving average of weights.
    # 120 epochs, not 60: README, "The 16-D GAN trained twice as long", has the figures of both.
    GenerativeSpec(GAN_16D_FILE, GANConfig(latent_dim=16), GanSettings(epochs=120)),
    # A 2-D z, so that its latent grid can stand beside the 2-D VAE's manifold; 120 epochs too.
    GenerativeSpec(GAN_2D_FILE, GANConfig(latent_dim=2), GanSettings(epochs=120)),
    # Mode collapse on purpose: the same nets and loss with every stabiliser off (no spectral norm, no label
    # smoothing, no augmentation, no averaging) and ten times DCGAN's learning rate. Measured: after 10 epochs
    # every sample is read as one digit. (MLP nets at 10⁻³ or 2·10⁻³ gave noisy digits of 9 classes instead:
    # recall 0.01, collapse within classes, harder to see.)
    GenerativeSpec(
        COLLAPSING_GAN_FILE,
        GANConfig(latent_dim=16, spectral_norm=False),
        GanSettings(epochs=10, lr=2e-3, label_smoothing=0.0, augment_shift=0, ema_decay=0.0),
    ),
    # 80 epochs are 2,880 steps (67 min on one core): FD 278 against 490 after 25 epochs, while 16 sampler
    # steps instead of 8 gained 6, so training, not the sampler, held it back. The GANs' moving average (0.999 a
    # step) then forgets the first steps' weights (0.999²⁸⁸⁰ = 6 %).
    GenerativeSpec(DIFFUSION_FILE, DiffusionConfig(), DiffusionSettings(epochs=80, ema_decay=0.999)),
    # Labelled synthetic digits: an 8-D style code beside the label, an MLP 512-256 (README,
    # "Labelled synthetic digits", has why 8-D and 120 epochs).
    GenerativeSpec(CONDITIONAL_FILE, ConditionalConfig(), ConditionalSettings(epochs=120)),
)


def shipped_files() -> dict[str, tuple[PairSpec, str]]:
    """{file name: (pair, kind)} for every shipped AE/VAE checkpoint."""
    return {spec.file_name(kind): (spec, kind) for spec in SHIPPED for kind in spec.kinds}


def generative_files() -> dict[str, GenerativeSpec]:
    """{path under checkpoints/: spec} for the evaluator, the GANs, the diffusion model and the conditional VAE."""
    return {spec.file: spec for spec in GENERATIVE}


def train_generative(
    spec: GenerativeSpec, *, evaluator: DigitClassifier | None, quick: bool = False, quiet: bool = False
) -> TrainedGenerative:
    settings = replace(spec.settings, epochs=max(1, spec.settings.epochs // 20)) if quick else spec.settings
    with ProgressBar(desc=spec.file.removesuffix(".pt"), disable=quiet) as bar:
        return fit_generative(
            config=spec.config,
            settings=settings,
            evaluator=evaluator,
            on_step=bar.update,
            device="cpu",
            note="shipped with Latent Lab; rebuilt by python -m vae_core.pretrain",
        )


def train_member(
    spec: PairSpec, kind: str, *, quick: bool = False, position: int | None = None, quiet: bool = False
) -> TrainedModel:
    settings = replace(spec.settings, epochs=max(1, spec.settings.epochs // 20)) if quick else spec.settings
    with ProgressBar(desc=spec.file_name(kind).removesuffix(".pt"), disable=quiet, position=position) as bar:
        return fit(
            dataset=spec.dataset,
            model_config=replace(spec.model, kind=kind),
            settings=settings,
            on_step=bar.update,
            half_precision=True,
            device="cpu",
            note="shipped with Latent Lab; rebuilt by python -m vae_core.pretrain",
        )


def _figure(t: TrainedModel) -> str:
    v = t.validation
    return f"ELBO {v.elbo:8.2f}" if v.elbo is not None else f"recon {v.recon:7.2f}"


def _generative_row(name: str, trained: TrainedGenerative, path: Path) -> str:
    m = trained.info.metrics
    figure = (
        f"FD {m['fd']:8.1f}"
        if "fd" in m
        else f"acc {m['val_accuracy']:.3f}"
        if "val_accuracy" in m
        else f"ELBO {m['val_elbo']:8.2f}"
        if "val_elbo" in m
        else ""
    )
    dim = getattr(trained.info.config, "latent_dim", 0)
    return (
        f"{name:40s} {trained.info.dataset:7s} {dim:3d} {trained.result.epochs_completed:6d} "
        f"{figure:>15s} {trained.result.seconds:8.1f} {path.stat().st_size / 1024:8.0f}"
    )


def record_comparison(folder: Path, evaluator: DigitClassifier, *, quiet: bool = False) -> list[str]:
    """Measure every compared model in `folder` (shipped.COMPARED) with the evaluator and store the
    figures in its checkpoint, weights untouched: the page reads them instead of drawing 5,000 samples."""
    data, rows = load_dataset("mnist"), []
    evaluator_path = folder / EVALUATOR_FILE
    if evaluator_path.is_file():  # the floor: the training images taken as samples
        model, info = load_checkpoint(evaluator_path)
        info.metrics = {**info.metrics, **{f"real_{k}": v for k, v in measure_real(evaluator, data).items()}}
        save_checkpoint(evaluator_path, model, info, overwrite=True, half_precision=True)
    for name in COMPARED.values():
        path = folder / name
        if not path.is_file():
            continue
        model, info = load_checkpoint(path)
        figures = measure(model, evaluator, data)
        if getattr(model, "is_variational", False):  # the likelihood column: log p(x) ≥ IWAE ≥ ELBO
            figures["iwae"] = float(iwae_bound(model, data.val_images).mean())
        info.metrics = {**info.metrics, **figures}
        save_checkpoint(path, model, info, overwrite=True, half_precision=True)
        rows.append(f"{name:40s} FD {figures['fd']:8.1f}  P {figures['precision']:.2f}  R {figures['recall']:.2f}")
        if not quiet:
            print(rows[-1], flush=True)
    return rows


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # a path that cannot even be resolved is not the shipped folder
        return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m vae_core.pretrain",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"folder for the checkpoints; needed with --only and --quick (a full rebuild writes to {CHECKPOINT_DIR})",
    )
    p.add_argument("--only", nargs="*", default=None, metavar="NAME", help="file names (without .pt) to rebuild")
    p.add_argument("--quick", action="store_true", help="1/20 of the epochs: a smoke test, not for shipping")
    p.add_argument("--no-baseline", action="store_true", help="skip training the plain recipe for comparison")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--measure",
        action="store_true",
        help="only measure the compared models in --out (or checkpoints/) with the evaluator and record the figures",
    )
    args = p.parse_args(argv)
    if args.measure:
        folder = args.out or CHECKPOINT_DIR
        evaluator_path = folder / EVALUATOR_FILE
        record_comparison(folder, load_evaluator(evaluator_path if evaluator_path.is_file() else None))
        return 0
    files, generative = shipped_files(), generative_files()
    every = [*files, *generative]
    wanted = [n.removesuffix(".pt") + ".pt" for n in args.only] if args.only else every
    unknown = [n for n in wanted if n not in every]
    if unknown:
        p.error(f"unknown checkpoint(s) {', '.join(unknown)}; shipped: {', '.join(f[:-3] for f in every)}")
    if args.out is None and (args.quick or args.only):
        p.error(
            f"without --out, --quick or --only would replace shipped models in {CHECKPOINT_DIR}; "
            "pass --out FOLDER to write elsewhere (or run without them to rebuild every shipped model)"
        )
    out = args.out or CHECKPOINT_DIR
    if args.quick and _same_folder(out, CHECKPOINT_DIR):
        p.error(f"--quick models are never written to the shipped folder {CHECKPOINT_DIR}; pass another --out")
    try:  # before hours of training
        for name in wanted:
            check_destination(out / name, overwrite=True)
    except DestinationError as exc:
        p.error(str(exc))
    remove_stale_temporaries(out)

    rows, start = [], time.perf_counter()
    results: dict[str, TrainedModel] = {}
    for name in (n for n in wanted if n in files):
        spec, kind = files[name]
        trained = train_member(spec, kind, quick=args.quick, quiet=args.quiet)
        try:
            path = save_trained(trained, out / name, overwrite=True, half_precision=True)
        except TrainingDiverged as exc:
            print(f"error: {name}: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"error: could not save {out / name}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        results[name] = trained
        size_kb = path.stat().st_size / 1024
        cfg, s = trained.info.config, trained.result
        rows.append(
            f"{name:40s} {trained.info.dataset:7s} {cfg.latent_dim:3d} {s.epochs_completed:6d} "
            f"{_figure(trained):>15s} {s.seconds:8.1f} {size_kb:8.0f}"
        )
    evaluator = None
    for name in (n for n in every if n in wanted and n in generative):  # the evaluator first
        if name != EVALUATOR_FILE and evaluator is None:
            evaluator = load_evaluator(out / EVALUATOR_FILE if (out / EVALUATOR_FILE).is_file() else None)
        trained_gen = train_generative(generative[name], evaluator=evaluator, quick=args.quick, quiet=args.quiet)
        try:
            path = save_generative(trained_gen, out / name, overwrite=True)
        except (OSError, ValueError) as exc:
            print(f"error: could not save {out / name}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 2
        rows.append(_generative_row(name, trained_gen, path))
    if EVALUATOR_FILE in wanted or any(name in COMPARED.values() for name in wanted):  # else their figures stand
        evaluator = evaluator or load_evaluator(out / EVALUATOR_FILE if (out / EVALUATOR_FILE).is_file() else None)
        rows += record_comparison(out, evaluator, quiet=True)
    baseline = None
    if not args.no_baseline and not args.quick:
        baseline = train_member(PLAIN_RECIPE, "vae", quiet=args.quiet)
    print(
        f"\n{'checkpoint':40s} {'data':7s} {'dim':>3s} {'epochs':>6s} {'validation':>15s} "
        f"{'train s':>8s} {'size kB':>8s}"
    )
    print("\n".join(rows))
    if baseline is not None:
        print(
            f"{'plain recipe (784-400-2)':32s} {'mnist':7s} {2:3d} {30:6d} {_figure(baseline):>15s} "
            f"{baseline.result.seconds:8.1f}"
        )
        ours = results.get(SHIPPED[0].file_name("vae"))
        if ours is not None:
            gain = ours.validation.elbo - baseline.validation.elbo
            print(f"\nshipped 2-D MNIST VAE beats the plain recipe by {gain:.2f} nats of validation ELBO")
    print(f"total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

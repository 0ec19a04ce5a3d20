"""The shipped AE, VAE, GANs and diffusion model side by side, and our GAN loop against DCGAN's.

    python -m bench.bench_generative                 # from the repository root; a few minutes on 2 CPU cores
    python -m bench.bench_generative --remeasure     # also draw the samples again and measure them (slow)
    python -m bench.bench_generative --quick         # a smoke test: fewer images and epochs
    python -m bench.bench_generative --checkpoints /path/to/checkpoints

1. For each model of `vae_core.shipped.COMPARED` whose checkpoint is in the folder: the figures its
   checkpoint records (FD, precision, recall, class shares: `comparison.measure` on the validation
   split, written by pretraining), the same re-measured with --remeasure, the training minutes, and
   the milliseconds per sample. Targets: 16 diffusion samples in at most 1 s; 64 GAN samples in at
   most 50 ms.
2. Training throughput of our GAN loop (`generative_training.train_gan`, the whole set in memory,
   minibatches as index slices) against pytorch/examples' DCGAN loop (a DataLoader over a
   per-sample Dataset, sigmoid outputs and BCELoss, labels filled per batch, D on real then fake,
   then G), on the 4,500 MNIST training images with the same nets (`GAN(GANConfig())`) and the same
   initial weights. Our stabilisers that cost time are off for the like-for-like ratio
   (`GanSettings(augment_shift=0, ema_decay=0.0)`). The two loops alternate, E epochs each, and each
   side's best round counts. Target: ours/theirs >= 1.

Timings are wall-clock on a shared CPU: the load average is printed with them. On a machine whose
cores are busy with other work, torch's second thread waits for a core and a step can take many
times longer: `--threads 1` then gives steadier figures.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from vae_core import load_checkpoint, load_dataset
from vae_core.comparison import measure, shares_of
from vae_core.diffusion import FlowMatching
from vae_core.gan import GAN, GANConfig
from vae_core.generative import sampling_seconds
from vae_core.generative_pipeline import load_evaluator
from vae_core.generative_training import GanSettings, train_gan
from vae_core.shipped import COMPARED, EVALUATOR_FILE

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
DIFFUSION_SAMPLES, DIFFUSION_TARGET_S = 16, 1.0  # 16 digits in at most a second
GAN_SAMPLES, GAN_TARGET_S = 64, 0.050  # 64 digits in at most 50 ms
THROUGHPUT_TARGET = 1.0  # our images/s ÷ DCGAN loop's images/s, at least
# pytorch/examples dcgan/main.py's defaults: --batchSize 64, --lr 0.0002, --beta1 0.5
DCGAN_BATCH, DCGAN_LR, DCGAN_BETA1 = 64, 2e-4, 0.5


def section(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 78 - len(title)), flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- 1. the compared models --------------------------------------------------------------------------


@dataclass
class ModelRow:
    key: str
    name: str
    kind: str
    figures: dict[str, float]  # as the checkpoint records them
    train_minutes: float
    n_timed: int
    seconds: float  # best wall time to draw n_timed samples
    remeasured: dict[str, float] | None = None

    @property
    def ms_per_sample(self) -> float:
        return 1000 * self.seconds / self.n_timed


def _figures_text(figures: dict[str, float]) -> str:
    if not {"fd", "precision", "recall"} <= set(figures):
        return "(no figures recorded: python -m vae_core.pretrain --measure)"
    shares = " ".join(f"{100 * s:3.0f}" for s in shares_of(figures))
    return f"FD {figures['fd']:8.1f}  P {figures['precision']:.2f}  R {figures['recall']:.2f}  shares % [{shares}]"


def compared_models(
    folder: Path, *, remeasure: bool = False, samples: int = 5000, repeats: int = 3
) -> tuple[list[ModelRow], list[str]]:
    """The rows of the compared models found in `folder`, and the names of those missing."""
    rows, missing = [], []
    evaluator = data = None
    if remeasure and (folder / EVALUATOR_FILE).is_file():
        evaluator, data = load_evaluator(folder / EVALUATOR_FILE), load_dataset("mnist")
    for key, name in COMPARED.items():
        path = folder / name
        if not path.is_file():
            missing.append(name)
            continue
        model, info = load_checkpoint(path)
        n = DIFFUSION_SAMPLES if isinstance(model, FlowMatching) else GAN_SAMPLES
        seconds = sampling_seconds(model, n, repeats=repeats)
        row = ModelRow(key, name, info.config.kind, dict(info.metrics), info.train_seconds / 60, n, seconds)
        if evaluator is not None and data is not None:
            row.remeasured = measure(model, evaluator, data, n=samples)
        rows.append(row)
    return rows, missing


def print_models(rows: list[ModelRow], missing: list[str]) -> bool:
    """The table and the sampling targets; True when every target met."""
    ok = True
    for r in rows:
        print(f"{r.key:13s} {r.name:36s} train {r.train_minutes:6.1f} min  sample {r.ms_per_sample:7.2f} ms/image")
        print(f"{'':13s} recorded    {_figures_text(r.figures)}")
        if r.remeasured is not None:
            print(f"{'':13s} re-measured {_figures_text(r.remeasured)}  (n = {r.remeasured['n_samples']:.0f})")
    for name in missing:
        print(f"{'':13s} {name:36s} (no checkpoint)")
    print()
    for r in rows:
        if r.kind == "diffusion":
            passed = r.seconds <= DIFFUSION_TARGET_S
            print(
                f"{r.name}: {r.n_timed} samples in {1000 * r.seconds:.0f} ms "
                f"(target <= {1000 * DIFFUSION_TARGET_S:.0f} ms): {verdict(passed)}"
            )
            ok &= passed
        elif r.kind == "gan":
            passed = r.seconds <= GAN_TARGET_S
            print(
                f"{r.name}: {r.n_timed} samples in {1000 * r.seconds:.1f} ms "
                f"(target <= {1000 * GAN_TARGET_S:.0f} ms): {verdict(passed)}"
            )
            ok &= passed
    return ok


# --- 2. the training loops ------------------------------------------------------------------------------


class ImageDataset(Dataset):
    """One (image, label) pair per item, normalised to [−1, 1] per sample as dcgan/main.py's
    `transforms.Normalize((0.5,), (0.5,))` does; the images are already tensors in memory."""

    def __init__(self, images: torch.Tensor):
        self.images = images

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return (self.images[i] - 0.5) / 0.5, 0


def reference_dcgan(
    model: GAN,
    images: torch.Tensor,
    *,
    epochs: int,
    batch_size: int = DCGAN_BATCH,
    seed: int = SEED,
    workers: int = 0,
    device: str = "cpu",
    log: Callable[[str], None] | None = None,
) -> list[float]:
    """The training loop of pytorch/examples' dcgan/main.py (github.com/pytorch/examples, dcgan/main.py),
    written out with the nets of `model`: its netG ends in Tanh (our `generate`), its netD in Sigmoid
    (the sigmoid of our logit). Returns each epoch's wall seconds.

    Differences, none of them in the loop's work: the images are tensors already (no PIL decoding or
    Resize(64)), so `workers` defaults to 0 rather than the script's 2 worker processes, which on a
    2-core machine would only compete with the training; the z of our generator is (B, nz), not
    (B, nz, 1, 1); the progress line is passed to `log` (default: dropped) instead of printed."""
    torch.manual_seed(seed)
    netG = model.generator
    netD = model.discriminator
    nz = model.config.latent_dim
    model.to(device).train()
    dataset = ImageDataset(images)
    dataloader = DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=workers)
    criterion = nn.BCELoss()
    real_label, fake_label = 1.0, 0.0
    optimizerD = torch.optim.Adam(netD.parameters(), lr=DCGAN_LR, betas=(DCGAN_BETA1, 0.999))
    optimizerG = torch.optim.Adam(netG.parameters(), lr=DCGAN_LR, betas=(DCGAN_BETA1, 0.999))

    def G(noise: torch.Tensor) -> torch.Tensor:
        return torch.tanh(netG(noise))

    def D(x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(netD(x)).view(-1, 1).squeeze(1)

    seconds = []
    for epoch in range(epochs):
        start = time.perf_counter()
        for i, data in enumerate(dataloader, 0):
            ############################
            # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            ###########################
            # train with real
            netD.zero_grad()
            real_cpu = data[0].to(device)
            batch_size = real_cpu.size(0)
            label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype, device=device)

            output = D(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean().item()

            # train with fake
            noise = torch.randn(batch_size, nz, device=device)
            fake = G(noise)
            label.fill_(fake_label)
            output = D(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            D_G_z1 = output.mean().item()
            errD = errD_real + errD_fake
            optimizerD.step()

            ############################
            # (2) Update G network: maximize log(D(G(z)))
            ###########################
            netG.zero_grad()
            label.fill_(real_label)  # fake labels are real for generator cost
            output = D(fake)
            errG = criterion(output, label)
            errG.backward()
            D_G_z2 = output.mean().item()
            optimizerG.step()

            line = "[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f" % (  # noqa: UP031
                epoch,
                epochs,
                i,
                len(dataloader),
                errD.item(),
                errG.item(),
                D_x,
                D_G_z1,
                D_G_z2,
            )
            if log is not None:
                log(line)
        seconds.append(time.perf_counter() - start)
    return seconds


def ours(model: GAN, images: torch.Tensor, *, epochs: int, seed: int = SEED, device: str = "cpu") -> list[float]:
    """`train_gan` with the stabilisers that cost time off; each epoch's wall seconds (the first
    includes the loop's setup, as the reference's first includes creating its DataLoader iterator;
    the BatchNorm statistics recomputed after the last epoch are not counted)."""
    settings = GanSettings(epochs=epochs, batch_size=DCGAN_BATCH, augment_shift=0, ema_decay=0.0, seed=seed)
    marks = [time.perf_counter()]
    train_gan(
        model, images, settings=settings, on_epoch=lambda _row, _m: marks.append(time.perf_counter()), device=device
    )
    return list(np.diff(marks))


@dataclass
class Round:
    epoch_seconds: list[float]
    images_per_epoch: int

    @property
    def images_per_s(self) -> float:
        return self.images_per_epoch * len(self.epoch_seconds) / sum(self.epoch_seconds)


def _seconds(values: list[float]) -> str:
    return " ".join(f"{v:.2f}s" for v in values)


def compare_loops(
    images: torch.Tensor, *, epochs: int, rounds: int, config: GANConfig | None = None, device: str = "cpu"
) -> tuple[list[Round], list[Round]]:
    """(theirs, ours) per round, alternating, each run from the same initial weights."""
    torch.manual_seed(SEED)
    start = GAN(config or GANConfig())
    theirs, mine = [], []
    for r in range(rounds):
        t = reference_dcgan(copy.deepcopy(start), images, epochs=epochs, device=device)
        theirs.append(Round(t, len(images)))
        print(f"round {r + 1}: DCGAN loop {theirs[-1].images_per_s:8.0f} images/s  epochs {_seconds(t)}", flush=True)
        o = ours(copy.deepcopy(start), images, epochs=epochs, device=device)
        mine.append(Round(o, len(images)))
        print(f"round {r + 1}: our loop   {mine[-1].images_per_s:8.0f} images/s  epochs {_seconds(o)}", flush=True)
    return theirs, mine


# --- main -------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_generative", description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoints", type=Path, default=ROOT / "checkpoints", help="the folder of the shipped models")
    p.add_argument("--remeasure", action="store_true", help="draw the samples again and measure them")
    p.add_argument("--samples", type=int, default=5000, help="samples per model with --remeasure")
    p.add_argument("--epochs", type=int, default=3, help="epochs per loop and round")
    p.add_argument("--rounds", type=int, default=2, help="rounds of the two loops; each side's best counts")
    p.add_argument("--quick", action="store_true", help="a smoke test: 640 images, one epoch, one round")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own choice)")
    args = p.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()}")
    section(f"1. the compared models in {args.checkpoints}")
    rows, missing = compared_models(args.checkpoints, remeasure=args.remeasure, samples=args.samples)
    ok = print_models(rows, missing)

    section("2. GAN training throughput: our loop against pytorch/examples' DCGAN loop")
    images = load_dataset("mnist").train_images
    epochs, rounds = args.epochs, args.rounds
    if args.quick:
        images, epochs, rounds = images[:640], 1, 1
    print(
        f"{len(images)} MNIST training images, GAN(GANConfig()), batch {DCGAN_BATCH}, {epochs} epochs × {rounds} rounds"
    )
    theirs, mine = compare_loops(images, epochs=epochs, rounds=rounds)
    best_theirs = max(r.images_per_s for r in theirs)
    best_ours = max(r.images_per_s for r in mine)
    ratio = best_ours / best_theirs
    fastest = len(images) / min(s for r in mine for s in r.epoch_seconds)
    fastest_theirs = len(images) / min(s for r in theirs for s in r.epoch_seconds)
    print(f"best round: DCGAN loop {best_theirs:.0f} images/s, our loop {best_ours:.0f} images/s")
    print(
        f"fastest epoch: DCGAN loop {fastest_theirs:.0f} images/s, our loop {fastest:.0f} images/s "
        f"(ratio {fastest / fastest_theirs:.2f})"
    )
    print(
        f"throughput ours/theirs {ratio:.2f} (target >= {THROUGHPUT_TARGET:.1f}): {verdict(ratio >= THROUGHPUT_TARGET)}"
    )
    print(f"load average afterwards {os.getloadavg()}")
    return 0 if ok and ratio >= THROUGHPUT_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

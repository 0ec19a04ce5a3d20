"""The Fill-in, Style and Synthetic-data pages' figures on the shipped models: error on the hidden pixels
per method and mask, with how often the evaluator reads the completed digit as the true one; the
attribute slopes; the augmentation experiment's table; and the time to import 5,000 images.

    python -m bench.bench_uses                     # from the repository root; about 8 minutes on 2 cores
    python -m bench.bench_uses --count 100 --runs 3 # fewer validation digits and runs, faster

Targets: on every half mask, the VAE's error on the hidden pixels is below the AE's (either method);
the measured attribute rises along each direction (slope > 0 for at least 95 % of digits); synthetic
digits raise the accuracy with 5 real digits per class by more than the runs' spread. The diffusion
model's inpainting is also timed against its plain sampler, side by side.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile

import numpy as np
import torch
from PIL import Image

from vae_core import decode, encode, load_checkpoint, load_dataset
from vae_core.attributes import ATTRIBUTES, along, attribute_direction, measure, slope
from vae_core.augmentation import CONDITIONS, ExperimentSettings, experiment_from_file
from vae_core.diffusion import generate
from vae_core.evaluator import features_and_classes
from vae_core.image_import import read_images
from vae_core.imputation import MASK_KINDS, complete, hidden_error, hidden_mask, inpaint
from vae_core.pretrain import CHECKPOINT_DIR
from vae_core.shipped import CONDITIONAL_FILE, DIFFUSION_FILE, EVALUATOR_FILE, IMPUTATION_PAIR

HALVES = ("top", "bottom", "left", "right")
SYNTHETIC_PER_CLASS = (100, 500)


def imputation_table(count: int) -> bool:
    data = load_dataset("mnist")
    images, labels = data.val_images[:count].numpy(), data.val_labels[:count].numpy()
    models = {kind: load_checkpoint(CHECKPOINT_DIR / name)[0] for kind, name in IMPUTATION_PAIR.items()}
    flow = load_checkpoint(CHECKPOINT_DIR / DIFFUSION_FILE)[0]
    classifier = load_checkpoint(CHECKPOINT_DIR / EVALUATOR_FILE)[0]
    methods = [(f"{kind} {method}", kind, method) for kind in ("ae", "vae") for method in ("optimise", "iterate")]
    methods.append(("diffusion inpaint", "diffusion", "sample"))
    print(f"Error on the hidden pixels (mean |x̂ − x|, grey levels) / share read as the true digit, {count} digits")
    print(f"{'method':18s}" + "".join(f"{kind:>14s}" for kind in MASK_KINDS))
    errors: dict[tuple[str, str], float] = {}
    for name, kind, method in methods:
        cells = []
        for mask_kind in MASK_KINDS:
            hidden = hidden_mask(mask_kind, 28, 28, share=0.3 if mask_kind == "square" else 0.5, seed=7)
            if kind == "diffusion":
                done = inpaint(flow, images, hidden)
            else:
                done = complete(models[kind], images, hidden, method)
            error = float(hidden_error(done.result, images, hidden).mean())
            read = float(np.mean(features_and_classes(classifier, done.result)[1] == labels))
            errors[name, mask_kind] = error
            cells.append(f"{error:.3f} / {100 * read:3.0f}%")
        print(f"{name:18s}" + "".join(f"{cell:>14s}" for cell in cells), flush=True)
    whole = float(np.mean(features_and_classes(classifier, images)[1] == labels))
    print(f"(the evaluator reads {100 * whole:.1f} % of the whole digits right)")
    ok = all(errors[f"vae {m}", h] < errors[f"ae {m}", h] for m in ("optimise", "iterate") for h in HALVES)
    print(f"VAE below AE on every half mask, both methods: {'yes' if ok else 'NO'}")

    batch = torch.as_tensor(images[:64])
    hidden = hidden_mask("bottom", 28, 28)
    t0 = time.perf_counter()
    generate(flow, torch.randn_like(batch))
    sampler = time.perf_counter() - t0
    t0 = time.perf_counter()
    inpaint(flow, images[:64], hidden)
    inpainting = time.perf_counter() - t0
    print(f"64 digits: sampler {sampler:.2f} s, inpainting {inpainting:.2f} s ({inpainting / sampler:.1f}×)")
    return ok


def attribute_slopes(count: int) -> bool:
    data = load_dataset("mnist")
    vae = load_checkpoint(CHECKPOINT_DIR / IMPUTATION_PAIR["vae"])[0]
    images, labels = data.train_images.numpy(), data.train_labels.numpy()
    codes = encode(vae, images).mu
    starts = encode(vae, data.val_images[:count]).mu
    alphas = np.linspace(-2.0, 2.0, 9)
    classifier = load_checkpoint(CHECKPOINT_DIR / EVALUATOR_FILE)[0]
    val_labels = data.val_labels[:count].numpy()
    print(f"\nAttribute directions of the VAE, on {count} validation digits, α from −2 to 2")
    print(f"{'attribute':10s} {'data 5–95 %':>16s} {'mean slope':>11s} {'rising':>7s} {'still the digit':>16s}")
    ok = True
    for attribute in ATTRIBUTES:
        values = measure(images, attribute)
        direction = attribute_direction(codes, values, labels)
        slopes, kept = [], []
        for code, label in zip(starts, val_labels, strict=True):
            decoded = decode(vae, along(code, direction, alphas))
            slopes.append(slope(alphas, measure(decoded, attribute)))
            kept.append(np.mean(features_and_classes(classifier, decoded)[1] == label))
        rising = float(np.mean(np.array(slopes) > 0))
        ok &= rising >= 0.95
        low, high = np.percentile(values, [5, 95])
        print(
            f"{attribute:10s} {low:7.3f} – {high:6.3f} {np.mean(slopes):11.3f} {100 * rising:6.0f}% "
            f"{100 * np.mean(kept):15.0f}%"
        )
    print(f"every attribute rises along its direction: {'yes' if ok else 'NO'}")
    return ok


def augmentation_table(runs: int) -> bool:
    ok = True
    for n in SYNTHETIC_PER_CLASS:
        settings = ExperimentSettings(synthetic_per_class=n, runs=runs)
        result = experiment_from_file(str(CHECKPOINT_DIR / CONDITIONAL_FILE), settings)
        print(f"\nValidation accuracy (%), mean ± sd over {runs} runs; {n} synthetic digits per class")
        print(f"{'real per class':>14s}" + "".join(f"{c:>22s}" for c in CONDITIONS))
        for i, k in enumerate(settings.real_per_class):
            cells = [f"{100 * result.mean(c)[i]:5.1f} ± {100 * result.spread(c)[i]:4.1f}" for c in CONDITIONS]
            print(f"{k:14d}" + "".join(f"{cell:>22s}" for cell in cells))
        only = np.asarray(result.synthetic_only)
        print(f"synthetic only: {100 * only.mean():.1f} ± {100 * (only.std(ddof=1) if runs > 1 else 0):.1f}; "
              f"{result.seconds:.0f} s")  # fmt: skip
        gain = result.mean("real_and_synthetic")[0] - result.mean("real")[0]
        ok &= gain > result.spread("real_and_synthetic")[0] + result.spread("real")[0]
    print(f"synthetic digits help with {settings.real_per_class[0]} real per class: {'yes' if ok else 'NO'}")
    return ok


def import_time(count: int) -> bool:
    """Reading `count` MNIST digits as a user would bring them: PNGs in class folders, zipped."""
    data = load_dataset("mnist")
    images = np.concatenate([data.train_images.numpy(), data.val_images.numpy()])[:count, 0]
    labels = np.concatenate([data.train_labels.numpy(), data.val_labels.numpy()])[:count]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (image, label) in enumerate(zip(images, labels, strict=True)):
            png = io.BytesIO()
            Image.fromarray((255 * image).round().astype(np.uint8)).save(png, format="PNG")
            archive.writestr(f"digits/{label}/{i:05d}.png", png.getvalue())
    zipped = buffer.getvalue()
    started = time.perf_counter()
    read = read_images(zipped, "digits.zip")
    seconds = time.perf_counter() - started
    in_order = sorted(range(count), key=lambda i: (str(labels[i]), i))  # members are read in name order
    same = np.abs(read.images.astype(np.float32) / 255 - images[in_order]).max()
    print(f"\nImport: {len(read.images)} PNGs in class folders ({len(zipped) / 2**20:.1f} MB zipped) read in "
          f"{seconds:.2f} s ({1e3 * seconds / len(read.images):.2f} ms an image); {len(read.class_names)} classes; "
          f"largest pixel change {same:.3f}")  # fmt: skip
    return len(read.images) == count and same < 0.01


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="validation digits (at most 500)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the augmentation experiment")
    parser.add_argument("--images", type=int, default=5000, help="MNIST digits zipped as PNGs for the import time")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    ok = imputation_table(args.count)
    ok &= attribute_slopes(min(args.count, 200))
    ok &= augmentation_table(args.runs)
    ok &= import_time(args.images)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

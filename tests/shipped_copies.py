"""A private copy of the shipped checkpoints, for tests that write beside them or point a server at them.

Not a test module itself. Subfolders are kept (the GANs, the diffusion model and the evaluator sit
in checkpoints/generative and checkpoints/evaluator); models trained here (checkpoints/trained)
are left out, so a test sees exactly what a fresh clone ships.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "checkpoints"
TRAINED_HERE = "trained"


def copy_shipped(folder: Path) -> Path:
    """Copy every shipped `*.pt` into `folder` (created), keeping its subfolder; returns `folder`."""
    files = [p for p in sorted(SHIPPED.rglob("*.pt")) if p.relative_to(SHIPPED).parts[0] != TRAINED_HERE]
    if not files:
        raise RuntimeError(f"no checkpoints in {SHIPPED}: these tests need the shipped models")
    for path in files:
        target = folder / path.relative_to(SHIPPED)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return folder

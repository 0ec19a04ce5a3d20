"""torchvision as an optional dependency, decided in this one place.

It is in requirements.txt, but a torchvision build that does not match the installed torch
fails at import (for example `operator torchvision::nms does not exist` on a CPU-only torch).
Only the downloadable data sets need it; everything else works without it.
"""

from __future__ import annotations

import functools
from types import ModuleType


@functools.cache
def _try_import() -> tuple[ModuleType | None, str]:
    try:
        import torchvision  # noqa: PLC0415 - imported lazily on purpose
    except Exception as exc:  # ImportError, or RuntimeError from a mismatched build
        return None, f"{type(exc).__name__}: {exc}".strip()
    return torchvision, ""


def torchvision_or_none() -> ModuleType | None:
    return _try_import()[0]


def torchvision_problem() -> str:
    """Why torchvision is unusable here ('' when it works), worded for a user."""
    module, reason = _try_import()
    if module is not None:
        return ""
    return (
        f"torchvision is not usable in this environment ({reason}). Install a torchvision "
        "build that matches your torch (see https://pytorch.org/get-started/locally/)."
    )

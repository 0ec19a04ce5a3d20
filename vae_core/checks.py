"""Type checks shared by model configs, training settings and checkpoints.

Values come from students, command lines and files written by anyone: a wrong type must be a
ValueError that says what was expected, never a TypeError from deep inside torch.
"""

from __future__ import annotations

import math
import numbers
from typing import Any


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message can show it: short, and safe for an int too long to print."""
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4,300 digits refuses to become text
        text = f"a {type(value).__name__} too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def alternatives(words: tuple[str, ...] | list[str]) -> str:
    """Words as a message lists them: "a, b or c"."""
    return " or ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


def whole_number(value: Any, what: str) -> int:
    """An int, not a bool or a float that happens to be whole: 2.0 in a file means something is off."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} must be a whole number, not {shown(value)}")
    return int(value)


def whole_numbers(values: Any, what: str) -> tuple[int, ...]:
    """A list or tuple of whole numbers (a string is not one, though it can be iterated)."""
    if not isinstance(values, (list, tuple)):
        raise ValueError(f"{what} must be a list of whole numbers, not {shown(values)}")
    return tuple(whole_number(v, what) for v in values)


def is_real_number(value: Any) -> bool:
    """An int or a float (not a bool) that a float can hold: NaN and infinity count, 10**400 does not."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        float(value)
    except OverflowError:
        return False
    return True


def finite_number(value: Any, what: str) -> float:
    """A real, finite number: `float('inf')` and NaN parse fine from a command line and poison a run."""
    try:
        number = math.nan if isinstance(value, bool) or not isinstance(value, numbers.Real) else float(value)
    except OverflowError:  # an int beyond any float
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, not {shown(value)}")
    return number

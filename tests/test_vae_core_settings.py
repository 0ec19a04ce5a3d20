"""Settings declared once (vae_core/settings.py): a field's type hint and metadata give its type check,
its name in messages and its command-line option, for kinds of field TrainSettings does not have yet."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Literal

import pytest

from vae_core.settings import add_options, check_types, from_options, setting


@dataclass(frozen=True)
class Toy:
    steps: int = setting(3, help="how many")
    rate: float | None = setting(None, label="the rate", metavar="R", help="optional")
    mode: Literal["a", "b"] = setting("a", help="a or b")
    fast: bool = setting(False, help="a switch")
    slow: bool = setting(True, help="a switch that is on")
    hidden: int = 1  # no help: no option, but still checked

    def __post_init__(self) -> None:
        check_types(self)


def _parse(argv: list[str]) -> Toy:
    parser = argparse.ArgumentParser()
    add_options(parser, Toy)
    return from_options(Toy, parser.parse_args(argv))


def test_each_field_with_a_help_text_is_an_option_with_its_default() -> None:
    assert _parse([]) == Toy()
    given = _parse(["--steps", "5", "--rate", "0.5", "--mode", "b", "--fast", "--no-slow"])
    assert given == Toy(5, 0.5, "b", True, False)
    with pytest.raises(SystemExit):
        _parse(["--hidden", "2"])
    with pytest.raises(SystemExit):
        _parse(["--mode", "c"])


@pytest.mark.parametrize(
    "values, message",
    [
        ({"steps": 2.0}, "steps must be a whole number"),
        ({"rate": float("nan")}, "the rate must be a finite number"),
        ({"fast": 1}, "fast must be true or false"),
        ({"hidden": "1"}, "hidden must be a whole number"),
    ],
)
def test_the_type_hints_check_the_values(values, message) -> None:
    with pytest.raises(ValueError, match=message):
        Toy(**values)


def test_numbers_are_normalised_and_none_is_allowed_where_the_hint_says() -> None:
    toy = Toy(rate=1)
    assert toy.rate == 1.0 and isinstance(toy.rate, float) and Toy().rate is None

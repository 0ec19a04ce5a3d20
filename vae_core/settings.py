"""Settings dataclasses declared once: a field's type hint and metadata give its type check, its name
in messages and, where it has a help text, its command-line option. A new setting is one line.

    epochs: int = setting(10, help="passes over the training split")

`check_types` in the class's `__post_init__` then refuses a string or NaN for it, naming it "epochs",
and `add_options` / `from_options` make it `--epochs` on a command line.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal, TypeVar, get_args, get_origin

from .checks import finite_number, shown, whole_number

T = TypeVar("T")


def setting(
    default: Any,
    *,
    label: str | None = None,
    help: str | None = None,
    flag: str | None = None,
    metavar: str | None = None,
    choices: Sequence[str] | None = None,
    cli_default: Any = dataclasses.MISSING,
) -> Any:
    """A dataclass field with what messages and a command line need to know about it.

    `label`: its name in messages (default: the field's name with spaces). `help`: makes it a
    command-line option, `flag` (default: --the-name), with that metavar and those choices (a Literal
    hint gives its own); `cli_default` replaces the default there only (argparse.SUPPRESS: absent
    unless given)."""
    given = {"label": label, "help": help, "flag": flag, "metavar": metavar, "choices": choices}
    metadata = {k: v for k, v in given.items() if v is not None}
    if cli_default is not dataclasses.MISSING:
        metadata["cli_default"] = cli_default
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class _Kind:
    """What a field's type hint says: the values' type, whether None is allowed, and any Literal values."""

    base: type | None  # int, float, bool, str; None for anything else (a tuple, a class)
    optional: bool  # `X | None`
    literal: tuple[Any, ...] | None  # Literal["a", "b"]'s values


def _kind(hint: Any) -> _Kind:
    args = get_args(hint)
    optional = get_origin(hint) in (types.UnionType, typing.Union) and type(None) in args
    if optional:
        rest = [a for a in args if a is not type(None)]
        hint = rest[0] if len(rest) == 1 else Any
    if get_origin(hint) is Literal:
        values = get_args(hint)
        return _Kind(type(values[0]), optional, values)
    return _Kind(hint if hint in (int, float, bool, str) else None, optional, None)


@functools.cache
def _kinds(cls: type) -> dict[str, _Kind]:
    """Each field's kind, from its resolved type hint (the modules use postponed annotations)."""
    hints = typing.get_type_hints(cls)
    return {f.name: _kind(hints[f.name]) for f in dataclasses.fields(cls)}


def label(cls: type, name: str) -> str:
    """How messages name the field `name` of the settings class `cls`."""
    return cls.__dataclass_fields__[name].metadata.get("label", name.replace("_", " "))


def check_types(settings: Any) -> None:
    """Type checks from the type hints, for a frozen dataclass's `__post_init__`: an int field must
    hold a whole number, a float field a finite number (stored as a float, so that settings read from
    a file compare equal to those given in code), a bool field True or False; `X | None` allows None.
    A string or NaN from a file or a command line would otherwise fail obscurely later.

    Whole numbers first, then the other numbers, then the optional ones, each in field order: when
    several values are wrong, the message names the first of them in that order."""
    cls = type(settings)
    kinds = _kinds(cls)
    order = sorted(dataclasses.fields(cls), key=lambda f: (kinds[f.name].optional, kinds[f.name].base is not int))
    for f in order:
        kind, value = kinds[f.name], getattr(settings, f.name)
        if kind.literal is not None or (kind.optional and value is None):
            continue  # a Literal's values: the class's own check, with its own message
        if kind.base is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{label(cls, f.name)} must be true or false, not {shown(value)}")
        elif kind.base is int:
            object.__setattr__(settings, f.name, whole_number(value, label(cls, f.name)))
        elif kind.base is float:
            object.__setattr__(settings, f.name, finite_number(value, label(cls, f.name)))


def _options(cls: type) -> list[dataclasses.Field]:
    """The fields that are command-line options: those with a help text."""
    return [f for f in dataclasses.fields(cls) if "help" in f.metadata]


def add_options(parser: argparse.ArgumentParser, cls: type) -> None:
    """One option per field of `cls` that has a help text, in field order, with the field's default
    (argparse types from the hints: a bool is a switch, `X | None` takes an X, a Literal its values)."""
    kinds = _kinds(cls)
    for f in _options(cls):
        meta, kind = f.metadata, kinds[f.name]
        extra: dict[str, Any] = {}
        if kind.base is bool:
            extra["action"] = "store_true" if f.default is False else argparse.BooleanOptionalAction
        else:
            if kind.base not in (str, None):  # a str needs no conversion: argparse gives one
                extra["type"] = kind.base
            choices = meta.get("choices", kind.literal)
            if choices is not None:
                extra["choices"] = list(choices)
            if "metavar" in meta:
                extra["metavar"] = meta["metavar"]
        parser.add_argument(
            meta.get("flag", "--" + f.name.replace("_", "-")),
            dest=f.name,
            default=meta.get("cli_default", f.default),
            help=meta["help"],
            **extra,
        )


def from_options(cls: type[T], args: argparse.Namespace, **given: Any) -> T:
    """The settings a command line parsed by `add_options` asks for; `given` names values it sets
    itself, and an option absent from `args` (argparse.SUPPRESS) takes the class's default.
    A bad value is the class's ValueError."""
    values = {f.name: getattr(args, f.name) for f in _options(cls) if hasattr(args, f.name)}
    return cls(**(values | given))

"""Every text of the app, one catalogue per language, and the helpers that fill them in.

A language is one file, `ui/locales/<code>.toml`: its name is the code that links and cookies
carry ("pt"), its [meta] table the name shown in the language picker and the Babel locale
("pt_BR") whose plural rules and number signs its texts follow, its [texts] table every text.
`t(key, **values)` returns the text in the user's language with its {placeholders} filled in.
Formulas are not here (see `ui.formulas`): LaTeX braces would clash with placeholders.
"""

from __future__ import annotations

import functools
import math
import re
import string
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import streamlit as st
from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

T = TypeVar("T")
Message = str | dict[str, str]  # a text, or a plural text: {CLDR plural category: text}, chosen by {count}

LANGUAGE_KEY = "keep.lang"
LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"  # outside a session, and for a language no catalogue is found for
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's, for every language


@dataclass(frozen=True)
class Catalogue:
    """One language's texts, as its file gives them."""

    name: str  # in the language picker, written in that language
    locale: Locale  # Babel's: plural rules and number signs
    texts: dict[str, Message]

    def plural_categories(self) -> frozenset[str]:
        """The forms each plural text needs in this language: those its plural rules pick, and "other"."""
        return frozenset(self.locale.plural_form.tags) | {"other"}


def load_catalogue(path: Path) -> Catalogue:
    """One catalogue file. A malformed file stops the app at start; missing texts are for the parity
    tests (tests/test_app_texts.py) to name."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    meta, texts = data.get("meta"), data.get("texts")
    if not isinstance(meta, dict) or not all(isinstance(meta.get(field), str) for field in ("name", "locale")):
        raise ValueError(f"{path.name}: needs a [meta] table with a name and a locale")
    if not isinstance(texts, dict) or set(data) != {"meta", "texts"}:
        raise ValueError(f"{path.name}: needs a [texts] table, and no table but [meta] and [texts]")
    for key, message in texts.items():
        plural = isinstance(message, dict) and "other" in message and set(message) <= PLURAL_CATEGORIES
        if not isinstance(message, str) and not (plural and all(isinstance(form, str) for form in message.values())):
            raise ValueError(f"{path.name}: {key} is neither a text nor a table of plural forms with 'other'")
    return Catalogue(meta["name"], Locale.parse(meta["locale"]), texts)


def load_catalogues(folder: Path) -> dict[str, Catalogue]:
    """Every catalogue of `folder` by language code, the default language's first."""
    found = {path.stem: load_catalogue(path) for path in sorted(folder.glob("*.toml"))}
    if DEFAULT_LANGUAGE not in found:
        raise ValueError(f"{folder}: no {DEFAULT_LANGUAGE}.toml")
    return {DEFAULT_LANGUAGE: found.pop(DEFAULT_LANGUAGE), **found}


CATALOGUES: dict[str, Catalogue] = {}
LANGUAGES: dict[str, str] = {}  # code → name, as the language picker offers them
TEXTS: dict[str, dict[str, Message]] = {}  # the same texts by key: key → language → text


def use_catalogues(folder: Path = LOCALES) -> None:
    """Read the catalogues of `folder`: ui/locales at import, a test's own folder in a test. The
    tables are filled in place, so a module that imported them sees the new ones."""
    catalogues = load_catalogues(folder)
    keys = dict.fromkeys(key for catalogue in catalogues.values() for key in catalogue.texts)
    CATALOGUES.clear()
    CATALOGUES.update(catalogues)
    LANGUAGES.clear()
    LANGUAGES.update({code: catalogue.name for code, catalogue in catalogues.items()})
    TEXTS.clear()
    TEXTS.update({key: {code: c.texts[key] for code, c in catalogues.items() if key in c.texts} for key in keys})


use_catalogues()


def language() -> str:
    """The user's language code (session state; the default language outside a Streamlit session)."""
    try:
        lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    except Exception:  # no session (imported by a test or a script)
        lang = DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


FIXED_POINT = re.compile(r"(?P<grouped>,?)(?:\.(?P<digits>\d+))?f")  # ".1f", ",.2f": what a Babel pattern can say


def locale_number(value: float, spec: str, locale: Locale) -> str:
    """`value` formatted by the str.format `spec` as `locale` writes numbers: 20,4 and 1.500,5 in pt_BR.

    A fixed-point spec becomes a Babel pattern, fed the float's exact value so that it rounds as
    format() does; Babel has no pattern for the others ("g", ".1g", "+.2e"), which keep Python's
    digits with the locale's decimal and grouping signs."""
    fixed = FIXED_POINT.fullmatch(spec)
    if fixed and math.isfinite(value):
        digits = int(fixed["digits"] or 6)  # format()'s own default for "f"
        pattern = ("#,##0" if fixed["grouped"] else "0") + ("." + "0" * digits if digits else "")
        exact = Decimal(value if isinstance(value, int | float) else float(value))
        return format_decimal(exact, format=pattern, locale=locale)
    signs = {".": get_decimal_symbol(locale), ",": get_group_symbol(locale)}
    return format(value, spec).translate(str.maketrans(signs))


class _LocaleNumbers(string.Formatter):
    """Fills placeholders as str.format does, but writes a float as the language does ({elbo:.1f})."""

    def __init__(self, locale: Locale) -> None:
        super().__init__()
        self.locale = locale

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, float):
            return locale_number(value, format_spec, self.locale)
        return super().format_field(value, format_spec)


def t(key: str, /, *, lang: str | None = None, **values: object) -> str:
    """The text for `key` in the user's language (or in `lang`), with its {placeholders} filled in
    (a float in a placeholder, such as {elbo:.1f}, with the language's decimal sign). A plural text
    takes the form that the language's plural rules give for `count` (1 digit, 2 digits)."""
    catalogue = CATALOGUES[lang or language()]
    text = catalogue.texts[key]
    if isinstance(text, dict):
        if "count" not in values:
            raise TypeError(f"{key} is a plural text: t() needs its count")
        text = text[catalogue.locale.plural_form(values["count"])]
    return _LocaleNumbers(catalogue.locale).format(text, **values) if values else text


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~:$&])")  # mid-sentence, "#", "-", "+" and "." are plain


def printable(text: str) -> str:
    """Text from a file name, with bytes that are not UTF-8 shown as �: Streamlit can send only UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def plain(text: str) -> str:
    """Text from a file or a user, safe to put in a message that Streamlit renders as markdown:
    every markdown sign is escaped and lines are joined, so a file name never becomes a link, an
    image or a format."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(text).splitlines()))


def user_locale() -> Locale:
    """The Babel locale of the user's language."""
    return CATALOGUES[language()].locale


def number(value: float, spec: str = "g") -> str:
    """A number formatted by `spec` as the user's language writes it: 0.003 / 0,003, 1,500.5 / 1.500,5."""
    return locale_number(value, spec, user_locale())


def decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals as the user's language writes it: 3.0 in English, 3,0 in Portuguese."""
    return number(value, f".{digits}f")


@functools.lru_cache(maxsize=256)
def _decimal_names(values: tuple[float, ...], digits: int, lang: str) -> dict[float, str]:
    locale = CATALOGUES[lang].locale
    return {value: locale_number(value, f".{digits}f", locale) for value in values}


def decimal_names(values: tuple[float, ...], digits: int) -> Callable[[float], str]:
    """A select_slider's `format_func` for `values`, each with `digits` decimals in the user's
    language; the names are made once per language, for a slider of 500 steps redrawn each rerun."""
    names = _decimal_names(values, digits, language())
    return lambda value: names.get(value) or decimal(value, digits)


def plot_separators() -> str:
    """Plotly's `separators` in the user's language: the decimal sign, then the thousands sign."""
    locale = user_locale()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def kind_label(kind: str) -> str:
    """'AE' or 'VAE'."""
    return t(f"model.{kind}.short")


IMPORTED_PREFIX = "imported-"  # vae_core.data's names of a user's own image sets (not imported here: torch)


def dataset_label(name: str) -> str:
    if name.startswith(IMPORTED_PREFIX):
        from vae_core.data import imported_title  # noqa: PLC0415 - only pages with such a set get here

        return t("dataset.imported", title=printable(imported_title(name)) or name[len(IMPORTED_PREFIX) :][:6])
    key = f"dataset.{name}"
    return t(key) if key in TEXTS else printable(name)


def dataset_description(name: str) -> str:
    if name.startswith(IMPORTED_PREFIX):
        from vae_core.data import DatasetUnavailable, dataset_info  # noqa: PLC0415

        try:
            info = dataset_info(name)
        except DatasetUnavailable as gone:  # its file was removed from the server
            return plain(str(gone))
        return t(
            "dataset.imported.desc",
            count=number(info.size or 0, ",d"),
            side=f"{info.image_shape[1]}×{info.image_shape[2]}",
        )
    key = f"dataset.{name}.desc"
    return t(key) if key in TEXTS else ""


def class_label(name: str) -> str:
    """A class name in the user's language (digits stay digits)."""
    key = f"class.{name}"
    return t(key) if key in TEXTS else name


def duration(seconds: float) -> str:
    """'4.2 s' (one decimal under 10 s, as the language writes it), '42 s' or '3 min 05 s'."""
    if round(max(0.0, seconds), 1) < 10:
        return t("time.seconds", s=decimal(max(0.0, seconds)))
    whole = round(seconds)
    if whole < 60:
        return t("time.seconds", s=whole)
    return t("time.minutes", m=whole // 60, s=whole % 60)


def labels(options: Iterable[T], describe: Callable[[T], str]) -> Callable[[T], str]:
    """A widget's format_func with every label made now, in the user's language.

    Streamlit may call a format_func outside the script run (the test harness does), where the
    session's language cannot be read; precomputed labels do not depend on when they are asked for.
    """
    names = {option: describe(option) for option in options}
    return names.__getitem__


def option_labels(options: Iterable[T], prefix: str) -> Callable[[T], str]:
    """`labels` for options whose texts are keyed `prefix.option` ("latent_grid.spacing" → "latent_grid.spacing.linear")."""
    return labels(options, lambda option: t(f"{prefix}.{option}"))

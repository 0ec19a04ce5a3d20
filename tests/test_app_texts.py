"""The catalogues of texts: every key in every language, same placeholders, the plural forms each
language needs; every key used exists; a language is one file; numbers as each language writes them."""

from __future__ import annotations

import random
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import ui.texts
from tests.app_testing import ROOT, assert_clean, open_app
from ui.texts import (
    CATALOGUES,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES,
    TEXTS,
    Catalogue,
    Message,
    labels,
    load_catalogue,
    load_catalogues,
    locale_number,
    t,
    use_catalogues,
)

APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
FIXTURE = ROOT / "tests" / "fixtures" / "locales"


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def forms(message: Message) -> dict[str, str]:
    return message if isinstance(message, dict) else {"": message}


def parity_problems(catalogues: dict[str, Catalogue]) -> list[str]:
    """What keeps the catalogues from being translations of the default one, key by key."""
    reference = catalogues[DEFAULT_LANGUAGE].texts
    problems = []
    for lang, catalogue in catalogues.items():
        problems += [f"{lang}: {key} is missing" for key in reference if key not in catalogue.texts]
        problems += [f"{lang}: {key} is not in {DEFAULT_LANGUAGE}" for key in catalogue.texts if key not in reference]
        for key in reference.keys() & catalogue.texts.keys():
            message, expected = catalogue.texts[key], reference[key]
            if isinstance(message, dict) != isinstance(expected, dict):
                problems.append(f"{lang}: {key} is plural in one language only")
                continue
            fields = set().union(*map(placeholders, forms(expected).values()))
            for category, text in forms(message).items():
                where = f"{lang}: {key} {category}".rstrip()
                if not text.strip():
                    problems.append(f"{where} is empty")
                if not fields - {"count"} <= placeholders(text) <= fields:  # a form may say "one" in words
                    problems.append(f"{where} has {sorted(placeholders(text))}, not {sorted(fields)}")
            if isinstance(message, dict):
                needed = sorted(catalogue.plural_categories())
                if sorted(message) != needed:
                    problems.append(f"{lang}: {key} has forms {sorted(message)}, not {needed}")
                if "count" not in fields:
                    problems.append(f"{lang}: {key} is plural without a {{count}}")
    return problems


@pytest.fixture
def fixture_languages() -> Iterator[None]:
    """The app reads the catalogues of the fixture folder for the test, ui/locales again after it."""
    use_catalogues(FIXTURE)
    try:
        yield
    finally:
        use_catalogues(LOCALES)


# --- the app's catalogues --------------------------------------------------------------------------


def test_the_languages_are_the_catalogue_files() -> None:
    assert LANGUAGES == {"en": "English", "pt": "Português (Brasil)"}  # codes in links and cookies: en, pt
    assert {code: str(catalogue.locale) for code, catalogue in CATALOGUES.items()} == {"en": "en", "pt": "pt_BR"}


def test_every_text_is_in_every_language_with_the_same_placeholders_and_plural_forms() -> None:
    problems = parity_problems(CATALOGUES)
    assert len(TEXTS) > 400 and not problems, problems


def test_every_literal_key_used_in_the_app_exists() -> None:
    used: set[str] = set()
    for path in APP_SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([A-Za-z0-9_.\-/ ]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    assert used, "no t('...') calls found"
    missing = sorted(k for k in used if k not in TEXTS)
    assert not missing, missing


def test_labels_are_fixed_when_made() -> None:
    describe = labels([1, 2], lambda v: f"#{v}")
    assert describe(2) == "#2"


# --- plural forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "english", "portuguese"),
    [
        (0, "0 normal digits", "0 dígito normal"),  # CLDR: 0 takes the singular in Portuguese
        (1, "1 normal digit", "1 dígito normal"),
        (2, "2 normal digits", "2 dígitos normais"),
        (1_000_000, "1000000 normal digits", "1000000 de dígitos normais"),  # pt's "many": de
    ],
)
def test_a_count_picks_the_plural_form_by_the_languages_rules(count: int, english: str, portuguese: str) -> None:
    assert t("uses.flagged_title", lang="en", count=count) == f"False alarms: {english} flagged"
    assert t("uses.flagged_title", lang="pt", count=count).startswith(f"Alarmes falsos: {portuguese} apontad")


def test_a_plural_text_needs_its_count() -> None:
    with pytest.raises(TypeError, match="count"):
        t("uses.flagged_title", lang="en", digit=3)


# --- numbers ---------------------------------------------------------------------------------------


def test_floats_in_texts_have_the_languages_decimal_sign() -> None:
    assert t("train.result.ae", lang="en", recon=20.44).endswith(" 20.4 nats.")
    assert t("train.result.ae", lang="pt", recon=20.44).endswith(" 20,4 nats.")
    assert t("time.minutes", lang="pt", m=3, s=5) == "3 min 05 s"  # whole numbers as str.format writes them
    assert locale_number(1500.5, ",.1f", CATALOGUES["pt"].locale) == "1.500,5"
    assert locale_number(1500.5, ",.1f", CATALOGUES["en"].locale) == "1,500.5"
    assert locale_number(0.00001, "g", CATALOGUES["pt"].locale) == "1e-05"


def test_numbers_come_out_as_before_the_catalogues() -> None:
    """Babel's patterns give what format() and a swap of "." and "," gave, rounding included."""
    rng = random.Random(7)
    values = [rng.uniform(-3000, 3000) for _ in range(300)] + [0.125, 2.675, 0.5, 2.5, -0.04, 0.0, 1e-7, 1e21]
    values += [round(rng.uniform(0, 100), 2) + 0.005 for _ in range(300)]  # halves that are not quite halves
    specs = ["", "g", ".1g", ".3e", ".0f", ".1f", ".2f", ".3f", ",.1f", ",.0f", "f", "+.1f", "8.2f"]
    swap = str.maketrans(".,", ",.")
    en, pt = CATALOGUES["en"].locale, CATALOGUES["pt"].locale
    for value in values + [float("nan"), float("inf")]:
        for spec in specs:
            assert locale_number(value, spec, en) == format(value, spec), (value, spec)
            assert locale_number(value, spec, pt) == format(value, spec).translate(swap), (value, spec)


# --- a language is a file --------------------------------------------------------------------------


def test_a_third_language_is_one_more_file(fixture_languages: None) -> None:
    assert LANGUAGES == {"en": "English", "pl": "Polski"}
    problems = parity_problems(CATALOGUES)
    assert not problems, problems
    assert [t("fixture.digits", lang="pl", count=n) for n in (1, 3, 5, 22)] == [
        "1 cyfra oznaczona",
        "3 cyfry oznaczone",
        "5 cyfr oznaczonych",
        "22 cyfry oznaczone",
    ]
    recon = t("fixture.recon", lang="pl", recon=20.44, total=1500.5)
    assert recon == "Błąd rekonstrukcji 20,4 nats, łącznie 1\xa0500,5"  # Polish groups with a no-break space


def test_the_language_picker_offers_a_new_language_and_the_page_uses_it(tmp_path: Path) -> None:
    """The app's own catalogues plus one file: the sidebar offers it, and choosing it changes the page."""
    for path in LOCALES.glob("*.toml"):
        shutil.copy2(path, tmp_path / path.name)
    polish = (LOCALES / "en.toml").read_text(encoding="utf-8")
    polish = polish.replace('name = "English"\nlocale = "en"', 'name = "Polski"\nlocale = "pl"')
    polish = polish.replace('"nav.home" = "Home"', '"nav.home" = "Strona główna"')
    (tmp_path / "pl.toml").write_text(polish, encoding="utf-8")
    use_catalogues(tmp_path)
    try:
        at = open_app("home")
        picker = at.selectbox(key=ui.texts.LANGUAGE_KEY)
        assert picker.options == ["English", "Polski", "Português (Brasil)"]
        at = picker.select("pl").run()
        assert_clean(at)
        assert "Strona główna" in [link.proto.label for link in at.get("page_link")]
    finally:
        use_catalogues(LOCALES)


def test_a_language_with_missing_texts_fails_the_parity_check(tmp_path: Path) -> None:
    """A partial language is an error, named by the parity check (t() would raise a KeyError), never
    a page quietly half in English."""
    shutil.copy2(FIXTURE / "en.toml", tmp_path / "en.toml")
    partial = (FIXTURE / "pl.toml").read_text(encoding="utf-8")
    partial = partial.replace('"nav.home" = "Strona główna"\n', "")
    partial = partial.replace('"fixture.digits".few', '"fixture.digits".two')  # a category Polish does not use
    (tmp_path / "pl.toml").write_text(partial, encoding="utf-8")
    catalogues = load_catalogues(tmp_path)
    assert parity_problems(catalogues) == [
        "pl: nav.home is missing",
        "pl: fixture.digits has forms ['many', 'one', 'other', 'two'], not ['few', 'many', 'one', 'other']",
    ]


def test_a_catalogue_that_is_not_one_is_refused_at_start(tmp_path: Path) -> None:
    for body in (
        '[texts]\n"nav.home" = "Home"\n',  # no [meta]
        '[meta]\nname = "English"\nlocale = "en"\n[texts]\n"x".one = "a"\n',  # plural forms without "other"
        '[meta]\nname = "English"\nlocale = "en"\n[texts]\n"x" = 3\n',
    ):
        (tmp_path / "en.toml").write_text(body, encoding="utf-8")
        with pytest.raises(ValueError, match="en.toml"):
            load_catalogue(tmp_path / "en.toml")
    (tmp_path / "en.toml").unlink()
    shutil.copy2(FIXTURE / "pl.toml", tmp_path / "pl.toml")
    with pytest.raises(ValueError, match="no en.toml"):
        load_catalogues(tmp_path)

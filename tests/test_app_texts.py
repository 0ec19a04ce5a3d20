"""The table of texts: every key in both languages, same placeholders; every key used exists."""

from __future__ import annotations

import re
import string

import pytest

from tests.app_testing import ROOT
from ui.texts import LANGUAGES, TEXTS, labels

APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    for lang, text in entry.items():
        assert isinstance(text, str) and text.strip(), f"{key} is empty in {lang!r}"
    assert placeholders(entry["en"]) == placeholders(entry["pt"]), key


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

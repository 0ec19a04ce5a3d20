"""The Streamlit settings a class depends on, as Streamlit itself resolves them when the app is
started from its folder (`.streamlit/config.toml`), through its public `st.get_option`."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"

# Asks Streamlit, started in the app's folder, for the value of every option it is given.
RESOLVE = """
import json, sys
import streamlit as st
values = {}
for name in json.loads(sys.argv[1]):
    try:
        values[name] = st.get_option(name)
    except Exception as exc:  # an option Streamlit does not know
        values[name] = f"unknown option: {type(exc).__name__}"
print(json.dumps(values))
"""


def options_in_file() -> dict[str, object]:
    with CONFIG.open("rb") as f:
        sections = tomllib.load(f)
    return {f"{section}.{name}": value for section, values in sections.items() for name, value in values.items()}


@pytest.fixture(scope="module")
def resolved() -> dict[str, object]:
    names = sorted({*options_in_file(), "server.headless", "browser.gatherUsageStats", "runner.postScriptGC"})
    done = subprocess.run(
        [sys.executable, "-c", RESOLVE, json.dumps(names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_streamlit_knows_every_option_of_the_file_and_uses_its_value(resolved: dict[str, object]) -> None:
    for name, value in options_in_file().items():
        assert resolved[name] == value, f"{CONFIG.name}: {name} resolves to {resolved[name]!r}, not {value!r}"


def test_the_app_needs_no_network_and_reloads_nothing(resolved: dict[str, object]) -> None:
    assert resolved["browser.gatherUsageStats"] is False
    assert resolved["server.headless"] is True
    assert resolved["server.fileWatcherType"] == "none"


def test_no_full_garbage_collection_after_every_script_run(resolved: dict[str, object]) -> None:
    """On by default; with torch loaded it cost about 0.1 s of CPU per rerun and per progress poll."""
    assert resolved["runner.postScriptGC"] is False


def test_the_navigation_is_the_apps_own_and_errors_show_no_traceback(resolved: dict[str, object]) -> None:
    assert resolved["client.showSidebarNavigation"] is False  # the raw file names never show
    assert resolved["client.showErrorDetails"] in ("type", "none")

"""The Streamlit settings a class depends on (.streamlit/config.toml), read as Streamlit reads them."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def settings() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def test_the_app_needs_no_network_and_reloads_nothing() -> None:
    config = settings()
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True
    assert config["server"]["fileWatcherType"] == "none"


def test_no_full_garbage_collection_after_every_script_run() -> None:
    """On by default; with torch loaded it cost about 0.1 s of CPU per rerun and per progress poll,
    most of the server's time in bench/bench_classroom.py (26 CPU-s against 9 without)."""
    assert settings()["runner"]["postScriptGC"] is False


def test_every_option_is_one_streamlit_knows() -> None:
    from streamlit import config as streamlit_config

    known = set(streamlit_config._config_options_template)  # noqa: SLF001 - the list of valid options
    for section, values in settings().items():
        for name in values:
            assert f"{section}.{name}" in known, f"{CONFIG.name}: [{section}] {name} is not a Streamlit option"

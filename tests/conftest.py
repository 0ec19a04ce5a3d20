"""Shared fixtures: small data and models for fast tests (pytest puts the repo root on sys.path)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.shipped_copies import copy_shipped
from vae_core import ModelConfig, build_model, load_dataset

ROOT = Path(__file__).resolve().parent.parent

torch.set_num_threads(2)


@pytest.fixture(scope="session", autouse=True)
def poll_rooms_apart(tmp_path_factory):
    """The class poll's rooms in a file of the test run's own, never the app's rooms/ folder (servers
    started by the browser tests inherit it)."""
    import os  # noqa: PLC0415

    from ui.paths import POLL_DB_ENV, POLL_REDIS_ENV  # noqa: PLC0415

    os.environ[POLL_DB_ENV] = str(tmp_path_factory.mktemp("rooms") / "poll.sqlite3")
    os.environ.pop(POLL_REDIS_ENV, None)  # a Redis store only where a test asks for one
    yield


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server for the poll's Redis store. Missing, the tests that need it are skipped
    with a message here; with CI=true they fail (`.ci/run` installs it)."""
    import os  # noqa: PLC0415

    from tests.redis_server import RedisMissing, redis_server  # noqa: PLC0415

    try:
        with redis_server(tmp_path_factory.mktemp("redis")) as url:
            yield url
    except RedisMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: the Redis store must be tested in CI)", pytrace=False)
        pytest.skip(str(missing))


@pytest.fixture(scope="session", autouse=True)
def imported_images_apart(tmp_path_factory):
    """Users' own image sets in a folder of the test run's own, never the machine's data folder (the
    training's child processes and the browser tests' servers inherit it)."""
    import os  # noqa: PLC0415

    from vae_core.data import IMPORTS_ENV  # noqa: PLC0415

    os.environ[IMPORTS_ENV] = str(tmp_path_factory.mktemp("imported"))
    yield


@pytest.fixture(scope="session")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="session")
def mnist():
    return load_dataset("mnist")


def _small_model(kind: str = "vae", *, arch: str = "mlp", latent_dim: int = 2, image_shape=(1, 8, 8), seed: int = 0):
    torch.manual_seed(seed)
    config = ModelConfig(
        kind=kind,
        arch=arch,
        latent_dim=latent_dim,
        image_shape=image_shape,
        hidden_dims=(32, 16),
        conv_channels=(8, 16),
    )
    return build_model(config)


@pytest.fixture
def make_model():
    """Small seeded models (hidden 32-16, conv 8-16) for any kind, architecture and image shape."""
    return _small_model


@pytest.fixture
def checkpoints(tmp_path, monkeypatch):
    """A private copy of the shipped checkpoints that the app reads instead of the real folder."""
    from tests.app_testing import copy_checkpoints  # noqa: PLC0415 - imports streamlit
    from ui.paths import CHECKPOINTS_ENV  # noqa: PLC0415

    folder = copy_checkpoints(tmp_path)
    monkeypatch.setenv(CHECKPOINTS_ENV, str(folder))
    return folder


@pytest.fixture
def shipped_copy(tmp_path):
    """A private copy of checkpoints/ (engine tests only: no Streamlit), for tests that may write there."""
    return copy_shipped(tmp_path / "shipped")

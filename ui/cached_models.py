"""The models on offer, as the app reads them: descriptions read once per server and file
version, weights loaded only for the pair a user picks and shared read-only by every session.

The pairing itself is `vae_core.catalog`; this module adds Streamlit's caches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from vae_core import (
    CheckpointError,
    CheckpointInfo,
    LatentModel,
    load_checkpoint,
    read_checkpoint,
    remove_stale_temporaries,
)
from vae_core.catalog import Catalog, CatalogItem, FileVersion, build_catalog

from .paths import checkpoint_dir, trained_dir

FILE_HASH = {FileVersion: lambda version: version.key}  # a replaced file is a new cache entry


@dataclass(frozen=True)
class LoadedModel:
    """A model ready for the latent tools, shared by every session: never train or modify it.

    Cached results take the LoadedModel itself and are keyed by its file version (`MODEL_HASH`).
    """

    kind: str
    file: FileVersion
    model: LatentModel
    info: CheckpointInfo

    @property
    def key(self) -> str:
        return self.file.key

    @property
    def dataset(self) -> str:
        return self.info.dataset

    @property
    def latent_dim(self) -> int:
        return self.info.config.latent_dim

    @property
    def is_variational(self) -> bool:
        return bool(self.model.is_variational)


MODEL_HASH = {LoadedModel: lambda model: model.key}


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs=FILE_HASH)
def _read_info(version: FileVersion) -> tuple[CheckpointInfo | None, str]:
    """(info, '') or (None, problem): a file is read once per version, a broken one too. Shared by
    every session, read only: st.cache_data would unpickle a copy on every rerun of every page."""
    try:
        return read_checkpoint(version.path)[1], ""
    except CheckpointError as exc:
        return None, exc.problem


def read_info(version: FileVersion) -> CheckpointInfo:
    info, problem = _read_info(version)
    if info is None:
        raise CheckpointError(version.path, problem)
    return info


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=FILE_HASH)
def _load(version: FileVersion) -> tuple[LatentModel | None, CheckpointInfo | None, str]:
    try:
        model, info = load_checkpoint(version.path)
    except CheckpointError as exc:
        return None, None, exc.problem
    return model, info, ""


def load_model(item: CatalogItem) -> LoadedModel:
    """The item's model, loaded once per server and file version. Raises CheckpointError."""
    model, info, problem = _load(item.file)
    if model is None or info is None:
        raise CheckpointError(item.file.path, problem)
    return LoadedModel(item.kind, item.file, model, info)


def load_shipped(name: str) -> LoadedModel | None:
    """A shipped model by its file name in the checkpoints folder (a lesson's model, named in
    `vae_core.shipped`), loaded once per server and file version as `load_model` does; None where
    there is no such file. Raises CheckpointError for a file that cannot be used."""
    version = FileVersion.of(checkpoint_dir() / name)
    if version is None:
        return None
    model, info, problem = _load(version)
    if model is None or info is None:
        raise CheckpointError(version.path, problem)
    return LoadedModel(info.config.kind, version, model, info)


@st.cache_resource(show_spinner=False, max_entries=8)
def _swept(_folder: Path, folder_key: str) -> list[str]:
    """Once per server and folder: temporary files that saves killed midway left behind are removed."""
    return [str(path) for path in remove_stale_temporaries(_folder)]


def catalog(own_runs: Mapping[str, str], *, include_others: bool) -> Catalog:
    """Shipped models, this session's (`own_runs`: path → run id) and, on request, other users'."""
    for folder in (checkpoint_dir(), trained_dir()):
        _swept(folder, repr(str(folder)))  # repr: a folder name need not be UTF-8
    return build_catalog(
        shipped_dir=checkpoint_dir(),
        trained_dir=trained_dir(),
        own_runs=own_runs,
        include_others=include_others,
        read_info=read_info,
    )


def short_time(iso: str) -> str:
    """'2025-11-21T14:05:09+00:00' → '21/11 14:05' in local time; '' if unreadable."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%d/%m %H:%M")
    except ValueError:
        return ""

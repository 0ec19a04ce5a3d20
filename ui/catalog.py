"""The models on offer: every checkpoint file read once per server, paired AE with VAE.

Reading a file for the picker keeps only its description (`CheckpointInfo`); weights are loaded
only for the pair a user picks (`load_model`), once per server and per file version, and shared
read-only by every session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from vae_core import CheckpointError, CheckpointInfo, load_checkpoint, read_checkpoint

from .paths import checkpoint_dir, trained_dir

Source = Literal["shipped", "session", "others"]
SOURCE_ORDER: dict[str, int] = {"shipped": 0, "session": 1, "others": 2}


@dataclass(frozen=True)
class FileVersion:
    """A checkpoint path with its modification time and size: a replaced file is a new version."""

    path: str
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileVersion | None:
        try:
            st_ = path.stat()
        except OSError:  # deleted between listing and reading
            return None
        return cls(str(path), st_.st_mtime_ns, st_.st_size)

    @property
    def key(self) -> str:
        """Cache key for everything derived from this file's model."""
        return f"{self.path}@{self.mtime_ns}:{self.size}"

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class CatalogItem:
    """One readable checkpoint, with where it comes from and which training run it belongs to."""

    file: FileVersion
    info: CheckpointInfo
    source: Source
    group: str  # items pair only within a group: the shipped folder, one training run, ...

    @property
    def kind(self) -> str:
        return self.info.config.kind

    @property
    def widths(self) -> tuple[int, ...]:
        cfg = self.info.config
        return cfg.hidden_dims if cfg.arch == "mlp" else cfg.conv_channels

    @property
    def pair_key(self) -> tuple[Any, ...]:
        """What must be identical for an AE and a VAE to be compared fairly."""
        cfg = self.info.config
        return (self.group, self.info.dataset, cfg.arch, cfg.latent_dim, self.widths, cfg.image_shape)


@dataclass(frozen=True)
class BrokenFile:
    name: str
    message: str  # the CheckpointError message, which names the file


@dataclass(frozen=True)
class ModelPair:
    """An AE and a VAE with the same data set, architecture and latent size; one may be missing."""

    id: str
    source: Source
    dataset: str
    arch: str
    latent_dim: int
    widths: tuple[int, ...]
    ae: CatalogItem | None
    vae: CatalogItem | None
    created: str = ""

    def member(self, kind: str) -> CatalogItem | None:
        return self.ae if kind == "ae" else self.vae

    @property
    def kinds(self) -> list[str]:
        return [k for k in ("ae", "vae") if self.member(k) is not None]


@dataclass
class Catalog:
    pairs: list[ModelPair] = field(default_factory=list)
    broken: list[BrokenFile] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedModel:
    """A model ready for the latent tools; `key` is the cache key of everything derived from it."""

    kind: str
    file: FileVersion
    model: Any  # vae_core.LatentModel, shared by every session: never train or modify it
    info: CheckpointInfo

    @property
    def key(self) -> str:
        return self.file.key

    @property
    def latent_dim(self) -> int:
        return self.info.config.latent_dim

    @property
    def is_variational(self) -> bool:
        return bool(self.model.is_variational)


# --- reading files (cached per server) --------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=512)
def read_info(path: str, mtime_ns: int, size: int) -> tuple[CheckpointInfo | None, str | None]:
    """(info, None) for a usable file, (None, message naming the file) for a broken one.

    Broken files are cached too, so a corrupt file is read once per version, not on every rerun.
    """
    try:
        _, info = read_checkpoint(path)
    except CheckpointError as exc:
        return None, str(exc)
    return info, None


@st.cache_resource(show_spinner=False, max_entries=32)
def _load(path: str, mtime_ns: int, size: int) -> tuple[Any, CheckpointInfo | None, str | None]:
    """(model, info, None), or (None, None, problem): a broken file is tried once per version."""
    try:
        model, info = load_checkpoint(path)
    except CheckpointError as exc:
        return None, None, exc.problem
    return model, info, None


def load_model(item: CatalogItem) -> LoadedModel:
    """The item's model, loaded once per server and file version. Raises CheckpointError."""
    f = item.file
    model, info, problem = _load(f.path, f.mtime_ns, f.size)
    if problem is not None:
        raise CheckpointError(f.path, problem)
    return LoadedModel(item.kind, f, model, info)


def _checkpoint_files(folder: Path) -> list[Path]:
    """`*.pt` files of one folder, skipping hidden ones (a save in progress is a hidden temp file)."""
    try:
        return sorted(p for p in folder.glob("*.pt") if not p.name.startswith(".") and p.is_file())
    except OSError:
        return []


# --- pairing (pure) ---------------------------------------------------------------------------


def pair_items(items: list[CatalogItem]) -> list[ModelPair]:
    """Pair AEs with VAEs of the same group and configuration, oldest with oldest.

    A group with two AEs and one VAE gives one full pair and one AE alone: nothing is hidden.
    """
    groups: dict[tuple[Any, ...], dict[str, list[CatalogItem]]] = {}
    for item in items:
        groups.setdefault(item.pair_key, {"ae": [], "vae": []})[item.kind].append(item)
    pairs: list[ModelPair] = []
    for key, members in groups.items():
        group, dataset, arch, latent_dim, widths, _ = key
        for kind in members:
            members[kind].sort(key=lambda i: (i.info.created, i.file.path))
        for n in range(max(len(members["ae"]), len(members["vae"]))):
            ae = members["ae"][n] if n < len(members["ae"]) else None
            vae = members["vae"][n] if n < len(members["vae"]) else None
            first = ae or vae
            assert first is not None
            created = max(i.info.created for i in (ae, vae) if i is not None)
            pair_id = f"{group}|{dataset}|{arch}|{latent_dim}|{'-'.join(map(str, widths))}|{n}"
            pairs.append(ModelPair(pair_id, first.source, dataset, arch, latent_dim, widths, ae, vae, created))
    return sorted(pairs, key=_pair_order)


def _pair_order(p: ModelPair) -> tuple[Any, ...]:
    """Shipped first, then this session's newest runs, then other users'; complete pairs before
    single models, so the default choice can always compare."""
    newest_first = "" if p.source == "shipped" else _invert(p.created)
    incomplete = len(p.kinds) < 2
    return (SOURCE_ORDER[p.source], newest_first, incomplete, p.dataset, p.latent_dim, p.arch,
            tuple(-w for w in p.widths), p.id)  # fmt: skip


def _invert(text: str) -> str:
    """A sort key that orders ISO timestamps newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


# --- the catalog a session sees ---------------------------------------------------------------


@dataclass(frozen=True)
class SessionModel:
    """A model this session trained: its file and the run that produced it (pairs stay together)."""

    path: str
    run_id: str


def build_catalog(session_models: list[SessionModel], *, include_others: bool) -> Catalog:
    """Shipped checkpoints, this session's trained models and, on request, other users' finished ones."""
    catalog = Catalog()
    items: list[CatalogItem] = []
    own = {str(Path(m.path).resolve()): m.run_id for m in session_models}

    def add(path: Path, source: Source, group: str | None = None) -> None:
        version = FileVersion.of(path)
        if version is None:
            return
        info, error = read_info(version.path, version.mtime_ns, version.size)
        if info is None:
            catalog.broken.append(BrokenFile(version.name, error or version.name))
            return
        if group is None:  # others' models: pair those trained with identical settings
            group = "others:" + repr(sorted(info.train_settings.items()))
        items.append(CatalogItem(version, info, source, group))

    for path in _checkpoint_files(checkpoint_dir()):
        add(path, "shipped", "shipped")
    for resolved, run_id in own.items():
        add(Path(resolved), "session", f"run:{run_id}")
    if include_others:
        for path in _checkpoint_files(trained_dir()):
            if str(path.resolve()) not in own:
                add(path, "others")
    catalog.pairs = pair_items(items)
    return catalog


def short_time(iso: str) -> str:
    """'2025-11-21T14:05:09+00:00' → '21/11 14:05' in local time; '' if unreadable."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%d/%m %H:%M")
    except ValueError:
        return ""

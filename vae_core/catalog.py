"""The models on offer: checkpoint files found in folders, described, and paired AE with VAE.

Pure bookkeeping, no weights: a description is read through the `read_info` function the caller
passes (the app caches it per file version), and a pair compares an AE and a VAE that differ only
in their objective.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .autoencoder_training import TrainSettings
from .checkpoint import CheckpointError, CheckpointInfo
from .generative import LATENT_KINDS

Source = Literal["shipped", "session", "others"]
SOURCE_ORDER: dict[str, int] = {"shipped": 0, "session": 1, "others": 2}
SHIPPED_GROUP = "shipped"


def _run_group(run_id: str) -> str:
    return f"run:{run_id}"


def _newest_first(text: str) -> str:
    """A sort key that orders ISO timestamps newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


@dataclass(frozen=True)
class FileVersion:
    """A checkpoint path with its modification time and size: a replaced file is a new version."""

    path: str
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileVersion | None:
        try:
            stat = path.stat()
        except OSError:  # deleted between listing and reading
            return None
        return cls(str(path), stat.st_mtime_ns, stat.st_size)

    @property
    def key(self) -> str:
        """Cache key of everything derived from this file's model; `repr` keeps it ASCII even for a
        file name that is not valid UTF-8."""
        return f"{self.path!r}@{self.mtime_ns}:{self.size}"

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class Variant:
    """What sets a model apart from the plain recipe of its net, other than AE vs VAE: trained on noisy
    inputs, without one digit, or with a KL weight β ≠ 1. Shipped models share nets with one another,
    so the variant keeps, e.g., the denoising conv pair apart from the plain conv pair."""

    corruption: str | None = None
    corruption_level: float = 0.0
    without_digit: int | None = None
    beta: float = 1.0  # both members of a pair train with the same β (the AE ignores it), so it pairs them

    @classmethod
    def of(cls, settings: TrainSettings) -> Variant:
        return cls(settings.corruption, settings.corruption_level, settings.without_digit, settings.beta)

    @property
    def plain(self) -> bool:
        return self == Variant()

    @property
    def id(self) -> str:
        """'' for the plain recipe (pair ids and links stay as before variants), else e.g.
        'gaussian0.5', 'no7', 'beta4' or several of them joined by '+'."""
        parts = [
            f"{self.corruption}{self.corruption_level:g}" if self.corruption is not None else "",
            f"no{self.without_digit}" if self.without_digit is not None else "",
            f"beta{self.beta:g}" if self.beta != 1.0 else "",
        ]
        return "+".join(p for p in parts if p)

    @property
    def order(self) -> tuple[Any, ...]:
        """Plain first, then denoising, a digit left out, and β from low to high."""
        return (
            not self.plain,
            self.beta != 1.0,
            self.beta,
            self.without_digit is not None,
            self.without_digit or 0,
            self.corruption or "",
            self.corruption_level,
        )


PLAIN = Variant()


@dataclass(frozen=True)
class CatalogItem:
    """One readable checkpoint, with where it comes from and the group it pairs within."""

    file: FileVersion
    info: CheckpointInfo
    source: Source
    group: str  # the shipped folder, one training run, or other users' runs with identical settings

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
        return (self.group, self.info.dataset, cfg.arch, cfg.latent_dim, self.widths, cfg.image_shape, self.variant)

    @property
    def variant(self) -> Variant:
        return Variant.of(self.info.settings)


@dataclass(frozen=True)
class BrokenFile:
    name: str
    message: str  # the CheckpointError message, which names the file


@dataclass(frozen=True)
class ModelPair:
    """An AE and a VAE with the same data set, architecture, latent size and variant; one may be missing."""

    id: str
    source: Source
    group: str
    dataset: str
    arch: str
    latent_dim: int
    widths: tuple[int, ...]
    ae: CatalogItem | None
    vae: CatalogItem | None
    created: str = ""
    variant: Variant = PLAIN  # what both members were trained to do apart from the plain recipe

    def member(self, kind: str) -> CatalogItem | None:
        return self.ae if kind == "ae" else self.vae

    @property
    def kinds(self) -> list[str]:
        return [k for k in ("ae", "vae") if self.member(k) is not None]


@dataclass
class Catalog:
    pairs: list[ModelPair] = field(default_factory=list)
    broken: list[BrokenFile] = field(default_factory=list)

    def pair_of_run(self, run_id: str) -> ModelPair | None:
        """The pair a training run produced (a run trains one AE, one VAE, or both)."""
        return next((p for p in self.pairs if p.group == _run_group(run_id)), None)


def _pair_order(p: ModelPair) -> tuple[Any, ...]:
    """Shipped first, then this session's newest runs, then other users'; complete pairs before
    single models, so the default choice can always compare; plain recipes before their variants."""
    newest_first = "" if p.source == "shipped" else _newest_first(p.created)
    incomplete = len(p.kinds) < 2
    widest_first = tuple(-w for w in p.widths)
    return (
        SOURCE_ORDER[p.source],
        newest_first,
        incomplete,
        p.dataset,
        p.latent_dim,
        not p.variant.plain,
        p.arch,
        widest_first,
        p.variant.order,
        p.id,
    )


def pair_items(items: list[CatalogItem]) -> list[ModelPair]:
    """Pair AEs with VAEs of the same group and configuration, oldest with oldest.

    A group with two AEs and one VAE gives one full pair and one AE alone: nothing is hidden.
    """
    groups: dict[tuple[Any, ...], dict[str, list[CatalogItem]]] = {}
    for item in items:
        groups.setdefault(item.pair_key, {"ae": [], "vae": []})[item.kind].append(item)
    pairs: list[ModelPair] = []
    for key, members in groups.items():
        group, dataset, arch, latent_dim, widths, image_shape, variant = key
        for kind in members:
            members[kind].sort(key=lambda i: (i.info.created, i.file.path))
        for n in range(max(len(members["ae"]), len(members["vae"]))):
            ae = members["ae"][n] if n < len(members["ae"]) else None
            vae = members["vae"][n] if n < len(members["vae"]) else None
            first = ae or vae
            assert first is not None
            created = max(i.info.created for i in (ae, vae) if i is not None)
            shape = "x".join(map(str, image_shape))
            tail = f"|{variant.id}" if not variant.plain else ""  # a plain pair keeps the id links hold
            pair_id = f"{group}|{dataset}|{shape}|{arch}|{latent_dim}|{'-'.join(map(str, widths))}{tail}|{n}"
            pairs.append(
                ModelPair(pair_id, first.source, group, dataset, arch, latent_dim, widths, ae, vae, created, variant)
            )
    return sorted(pairs, key=_pair_order)


def checkpoint_files(folder: Path) -> list[Path]:
    """`*.pt` files of one folder, skipping hidden ones (a save in progress is a hidden temp file)."""
    try:
        return sorted(p for p in folder.glob("*.pt") if not p.name.startswith(".") and p.is_file())
    except OSError:
        return []


def build_catalog(
    *,
    shipped_dir: Path,
    trained_dir: Path,
    own_runs: Mapping[str, str],
    include_others: bool,
    read_info: Callable[[FileVersion], CheckpointInfo],
) -> Catalog:
    """Shipped checkpoints, this user's trained models (`own_runs`: path → run id) and, on request,
    other users' models in `trained_dir`. `read_info` raises CheckpointError for a broken file."""
    catalog = Catalog()
    items: list[CatalogItem] = []
    own = {str(Path(path).resolve()): run_id for path, run_id in own_runs.items()}

    def add(path: Path, source: Source, group: str | None = None) -> None:
        version = FileVersion.of(path)
        if version is None:
            return
        try:
            info = read_info(version)
        except CheckpointError as exc:
            catalog.broken.append(BrokenFile(version.name, str(exc)))
            return
        if info.config.kind not in LATENT_KINDS:  # a GAN or diffusion model trained on the Train page: no pair
            return
        if group is None:  # others' models: pair those trained with identical settings
            group = "others:" + repr(sorted(info.train_settings.items(), key=repr))
        items.append(CatalogItem(version, info, source, group))

    for path in checkpoint_files(shipped_dir):
        add(path, "shipped", SHIPPED_GROUP)
    for resolved, run_id in own.items():
        add(Path(resolved), "session", _run_group(run_id))
    if include_others:
        for path in checkpoint_files(trained_dir):
            if str(path.resolve()) not in own:
                add(path, "others")
    catalog.pairs = pair_items(items)
    return catalog

"""The catalog of models: files found, AEs paired with VAEs of the same nets, broken files named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vae_core import CheckpointInfo, load_checkpoint, read_checkpoint, save_checkpoint
from vae_core.catalog import FileVersion, build_catalog

SHIPPED = Path(__file__).resolve().parent.parent / "checkpoints"


def read_info(version: FileVersion) -> CheckpointInfo:
    return read_checkpoint(version.path)[1]


def catalog(shipped: Path, trained: Path, own: dict[str, str] | None = None, *, others: bool = False):
    return build_catalog(
        shipped_dir=shipped, trained_dir=trained, own_runs=own or {}, include_others=others, read_info=read_info
    )


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    shipped, trained = tmp_path / "shipped", tmp_path / "shipped" / "trained"
    trained.mkdir(parents=True)
    for name in ("mnist-ae-mlp-2d.pt", "mnist-vae-mlp-2d.pt", "digits-ae-mlp-2d.pt", "digits-vae-mlp-2d.pt"):
        shutil.copy2(SHIPPED / name, shipped / name)
    return shipped, trained


def save_copy(source: str, destination: Path, **changes) -> Path:
    """A shipped model saved again under another name, with some of its description changed."""

    model, info = load_checkpoint(SHIPPED / source)
    for field, value in changes.items():
        setattr(info, field, value)
    return save_checkpoint(destination, model, info)


def test_shipped_models_pair_by_data_set_and_net(folders: tuple[Path, Path]) -> None:
    found = catalog(*folders)
    assert not found.broken
    assert [(p.dataset, p.latent_dim, p.kinds, p.source) for p in found.pairs] == [
        ("digits", 2, ["ae", "vae"], "shipped"),
        ("mnist", 2, ["ae", "vae"], "shipped"),
    ]
    pair = found.pairs[1]
    assert pair.ae is not None and pair.ae.file.name == "mnist-ae-mlp-2d.pt"
    assert pair.vae is not None and pair.vae.file.name == "mnist-vae-mlp-2d.pt"


def test_a_broken_file_is_named_and_the_others_stay(folders: tuple[Path, Path]) -> None:
    shipped, trained = folders
    (shipped / "broken.pt").write_bytes(b"not a checkpoint")
    (shipped / ".mnist.pt.123.tmp").write_bytes(b"a save in progress")
    found = catalog(shipped, trained)
    assert [b.name for b in found.broken] == ["broken.pt"]
    assert "broken.pt" in found.broken[0].message
    assert len(found.pairs) == 2


def test_a_runs_models_pair_together_and_are_found_by_run(folders: tuple[Path, Path]) -> None:
    shipped, trained = folders
    ae = save_copy("digits-ae-mlp-2d.pt", trained / "a.pt", created="2030-01-01T00:00:00+00:00")
    vae = save_copy("digits-vae-mlp-2d.pt", trained / "b.pt", created="2030-01-01T00:00:00+00:00")
    found = catalog(shipped, trained, {str(ae): "run1", str(vae): "run1"})
    pair = found.pair_of_run("run1")
    assert pair is not None and pair.source == "session" and pair.kinds == ["ae", "vae"]
    assert found.pair_of_run("another run") is None
    assert not [p for p in found.pairs if p.source == "others"]  # own models are not listed twice


def test_other_users_models_show_only_on_request_even_with_odd_settings(folders: tuple[Path, Path]) -> None:
    shipped, trained = folders
    save_copy("digits-vae-mlp-2d.pt", trained / "odd.pt", train_settings={1: 2, "a": 3})
    assert not [p for p in catalog(shipped, trained).pairs if p.source == "others"]
    others = [p for p in catalog(shipped, trained, others=True).pairs if p.source == "others"]
    assert [p.kinds for p in others] == [["vae"]]


def test_pairs_of_different_image_shapes_get_different_ids(folders: tuple[Path, Path]) -> None:
    ids = [p.id for p in catalog(*folders).pairs]
    assert len(set(ids)) == len(ids)
    assert any("1x8x8" in i for i in ids) and any("1x28x28" in i for i in ids)


def test_a_file_version_key_is_plain_text_for_any_file_name(tmp_path: Path) -> None:
    path = tmp_path / "caf\udce9.pt"  # a name that is not valid UTF-8 (bytes 'caf\xe9.pt' on Linux)
    key = FileVersion(str(path), 1, 2).key
    assert key.isascii() and key.encode("utf-8")


def test_variants_of_a_net_pair_apart_and_follow_the_plain_pair(folders: tuple[Path, Path]) -> None:
    """Shipped lesson models share nets with the plain pairs: denoising, a digit left out and β ≠ 1
    each make their own pair, a β-ladder VAE alone is a VAE-only pair, and the plain pair stays first
    with the id that links hold."""
    shipped, trained = folders
    plain_id = next(p.id for p in catalog(shipped, trained).pairs if p.dataset == "mnist")
    settings = read_checkpoint(SHIPPED / "mnist-vae-mlp-2d.pt")[1].train_settings
    variants = {
        "denoising": {"corruption": "gaussian", "corruption_level": 0.5},
        "no7": {"without_digit": 7},
    }
    for suffix, change in variants.items():
        for kind in ("ae", "vae"):
            save_copy(
                f"mnist-{kind}-mlp-2d.pt",
                shipped / f"mnist-{kind}-mlp-2d-{suffix}.pt",
                train_settings={**settings, **change},
            )
    for beta in (16.0, 4.0):
        save_copy(
            "mnist-vae-mlp-2d.pt",
            shipped / f"mnist-vae-mlp-2d-beta{beta:g}.pt",
            train_settings={**settings, "beta": beta},
        )
    pairs = [p for p in catalog(shipped, trained).pairs if p.dataset == "mnist"]
    assert [(p.variant.id, p.kinds) for p in pairs] == [
        ("", ["ae", "vae"]),
        ("gaussian0.5", ["ae", "vae"]),
        ("no7", ["ae", "vae"]),
        ("beta4", ["vae"]),
        ("beta16", ["vae"]),
    ]
    assert pairs[0].id == plain_id and pairs[0].variant.plain
    assert len({p.id for p in pairs}) == len(pairs)
    for pair in pairs[1:3]:  # each member of a variant pair is that variant
        assert {pair.ae.file.name, pair.vae.file.name} == {
            f"mnist-{k}-mlp-2d-{'denoising' if pair.variant.corruption else 'no7'}.pt" for k in ("ae", "vae")
        }
    assert pairs[3].variant.beta == 4.0 and pairs[3].vae.file.name == "mnist-vae-mlp-2d-beta4.pt"


def test_a_runs_pair_trained_with_another_beta_stays_one_pair(folders: tuple[Path, Path]) -> None:
    """The Train page trains both members with the same settings, β included (the AE ignores it)."""
    shipped, trained = folders
    settings = {**read_checkpoint(SHIPPED / "digits-vae-mlp-2d.pt")[1].train_settings, "beta": 2.0}
    own = {
        str(save_copy(f"digits-{k}-mlp-2d.pt", trained / f"{k}.pt", train_settings=settings)): "run1"
        for k in ("ae", "vae")
    }
    pair = catalog(shipped, trained, own).pair_of_run("run1")
    assert pair is not None and pair.kinds == ["ae", "vae"] and pair.variant.id == "beta2"

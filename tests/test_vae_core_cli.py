"""The training command line: a good run saves a usable checkpoint; bad arguments fail clearly."""

import errno
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from tests.conftest import ROOT
from vae_core import DATASETS, DatasetUnavailable, autoencoder_pipeline, load_checkpoint, load_dataset, pretrain
from vae_core.corruption import denoising_error
from vae_core.train import main


def test_cli_trains_and_saves(tmp_path, capsys):
    out = tmp_path / "cli.pt"
    args = "--model ae --dataset digits --latent-dim 3 --epochs 2 --hidden 32,16 --quiet".split()
    code = main([*args, "--out", str(out)])
    assert code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"saved {out}: AE mlp 3-D on digits, 2 epochs") and "validation reconstruction" in line
    model, info = load_checkpoint(out)
    assert info.config.hidden_dims == (32, 16) and info.settings.epochs == 2 and len(info.history) == 2
    assert info.metrics["recon"] > 0


@pytest.mark.parametrize("level, expected", [(["--corruption-level", "0.5"], 0.5), ([], 0.3)])
def test_cli_trains_a_denoising_autoencoder(tmp_path, capsys, level, expected):
    out = tmp_path / "denoising.pt"
    args = "--model ae --dataset digits --epochs 2 --hidden 32,16 --quiet --corruption square".split()
    assert main([*args, *level, "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert f"denoising (square noise, level {expected:g})" in line and "from noisy validation images" in line
    model, info = load_checkpoint(out)
    assert info.settings.corruption == "square" and info.settings.corruption_level == expected
    assert info.train_settings["corruption"] == "square"
    # The recorded denoising figure: the saved model, given noisy validation images, scored against clean ones.
    restored = denoising_error(model, load_dataset("digits").val_images, "square", expected)
    assert info.metrics["denoise_recon"] == pytest.approx(restored, rel=1e-5)


def test_cli_trains_without_a_digit(tmp_path, capsys):
    out = tmp_path / "no3.pt"
    args = "--model vae --dataset digits --epochs 2 --hidden 32,16 --quiet --without-digit 3".split()
    assert main([*args, "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert "trained without the 3s, which it reconstructs with" in line
    _, info = load_checkpoint(out)
    assert info.settings.without_digit == 3 and info.metrics["unseen_elbo"] < 0


def test_cli_trains_with_augmentation(tmp_path):
    out = tmp_path / "augmented.pt"
    args = "--model ae --dataset digits --epochs 1 --hidden 32,16 --quiet --augment-shift 1 --augment-rotation 8"
    assert main([*args.split(), "--out", str(out)]) == 0
    settings = load_checkpoint(out)[1].settings
    assert (settings.augment_shift, settings.augment_rotation) == (1.0, 8.0)


def test_cli_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "x.pt"
    out.write_bytes(b"precious")
    with pytest.raises(SystemExit) as exc:
        main(["--dataset", "digits", "--epochs", "1", "--out", str(out), "--quiet"])
    assert exc.value.code == 2
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == b"precious"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--latent-dim", "0"], "latent size must be between 1 and 64"),
        (["--epochs", "0"], "epochs must be at least 1"),
        (["--lr", "-1"], "learning rate"),
        (["--hidden", "a,b"], "comma-separated integers"),
        (["--dataset", "cifar"], "invalid choice: 'cifar'"),
        (["--model", "gan"], "invalid choice: 'gan'"),
        (["--arch", "conv", "--dataset", "digits", "--channels", "8,8,8,8"], "divisible by 16"),
        (["--out", "model.txt"], "must end in .pt"),
        (["--augment-shift", "9"], "augmentation shift must be between 0 and 4 pixels"),
        (["--augment-rotation", "-5"], "augmentation rotation must be between 0 and 45 degrees"),
        (["--without-digit", "10"], "the left-out digit must be 0 to 9"),
        (["--without-digit", "seven"], "invalid int value: 'seven'"),
    ],
)
def test_cli_bad_arguments(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args + ["--quiet"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_unavailable_dataset_is_a_clear_error(tmp_path, capsys, monkeypatch):
    def unavailable():
        raise DatasetUnavailable("The 'fashion-mnist' data set needs torchvision.")

    monkeypatch.setitem(DATASETS, "fashion-mnist", replace(DATASETS["fashion-mnist"], loader=unavailable))
    load_dataset.cache_clear()
    assert main(["--dataset", "fashion-mnist", "--out", str(tmp_path / "f.pt"), "--quiet"]) == 1
    assert "needs torchvision" in capsys.readouterr().err
    assert not (tmp_path / "f.pt").exists()


def test_cli_help_states_every_default():
    result = subprocess.run(
        [sys.executable, "-m", "vae_core.train", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for default in ("vae", "mnist", "10", "64", "0.01", "onecycle", "1.0", "auto"):
        assert f"(default: {default})" in text, default


# --- bad input: exit 2 with a one-line message, before any training ------------------------------------


@pytest.fixture
def no_training(monkeypatch):
    """Bad input must be refused before training starts: training here is a test failure."""

    def trained(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(autoencoder_pipeline, "fit", trained)
    monkeypatch.setattr(pretrain, "train_member", trained)


def _exit_code(run, args) -> int:
    try:
        return run(args)
    except SystemExit as exc:
        return exc.code


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 or err.lstrip().startswith("usage:"), err
    return err


SYS = "/sys/kernel"  # sysfs: no file can be created there, not even by root


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seed", "1180591620717411303424"], "seed must be between 0 and 4294967295"),
        (["--seed", "-1"], "seed must be between 0 and 4294967295"),
        (["--hidden", "1000000000"], "hidden sizes must be between 1 and 4096"),
        (["--hidden", "64,64,64,64,64"], "at most 4 hidden layers"),
        (["--arch", "conv", "--channels", "100000"], "conv channels must be between 1 and 256"),
        (["--weight-decay", "inf"], "weight decay must be a finite number"),
        (["--lr", "nan"], "learning rate must be a finite number"),
        (["--beta", "inf"], "β must be a finite number"),
        (["--adam-beta2", "nan"], "Adam β2 must be a finite number"),
        (["--kl-warmup", "inf"], "KL warm-up must be a finite number"),
        (["--kl-warmup", "11", "--epochs", "10"], "KL warm-up must be between 0 and the 10 epochs"),
        (["--epochs", "1000000000"], "epochs must be at least 1 and at most 10000"),
        (["--corruption", "blur"], "invalid choice: 'blur'"),
        (["--corruption", "gaussian", "--corruption-level", "2"], "corruption level must be between 0 and 1"),
        (["--corruption", "gaussian", "--corruption-level", "-0.1"], "corruption level must be between 0 and 1"),
        (["--corruption", "square", "--corruption-level", "nan"], "corruption level must be a finite number"),
        (["--corruption", "square", "--corruption-level", "x"], "invalid float value: 'x'"),
        (["--corruption-level", "0.3"], "--corruption-level needs --corruption"),
        (["--out", "{tmp}/" + "x" * 300 + ".pt"], "name too long"),
        (["--out", "{tmp}/folder.pt"], "is a folder"),
        (["--out", "{tmp}/folder.pt", "--overwrite"], "is a folder"),
        (["--out", "{tmp}/file.txt/m.pt"], "is a file"),
        (["--out", f"{SYS}/latent-lab.pt"], "cannot write there"),
        (["--out", f"{SYS}/latent-lab/m.pt"], "cannot create the folder"),
    ],
)
def test_cli_refuses_bad_input_before_training(tmp_path, capsys, no_training, args, message):
    if any(SYS in a for a in args) and not Path(SYS).is_dir():
        pytest.skip("needs Linux's /sys")
    (tmp_path / "folder.pt").mkdir()
    (tmp_path / "file.txt").write_text("a file")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "m.pt")]
    assert _exit_code(main, ["--dataset", "digits", "--quiet", *args]) == 2
    assert message in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "folder.pt"]


SMALL_RUN = ["--dataset", "digits", "--epochs", "1", "--hidden", "32,16", "--quiet"]


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        RuntimeError("[enforce fail at inline_container.cc:783] . PytorchStreamWriter failed writing file data/0"),
    ],
)
def test_cli_disk_full_while_saving_is_a_message_and_leaves_nothing(tmp_path, capsys, monkeypatch, failure):
    def full(*args, **kwargs):
        raise failure

    monkeypatch.setattr(torch, "save", full)
    assert _exit_code(main, [*SMALL_RUN, "--out", str(tmp_path / "m.pt")]) == 2
    err = _one_line_error(capsys)
    assert "could not save" in err and "m.pt" in err
    assert list(tmp_path.iterdir()) == []  # neither the checkpoint nor a temporary file


def test_cli_never_saves_a_diverged_model(tmp_path, capsys):
    args = [*SMALL_RUN, "--lr", "1", "--lr-schedule", "constant", "--out", str(tmp_path / "m.pt")]
    assert _exit_code(main, args) == 2
    assert "not finite numbers" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def _stale_temporary(folder: Path) -> Path:
    stale = folder / ".m.pt.abcd1234.tmp"  # what a process killed while saving leaves behind
    stale.write_bytes(b"half a checkpoint")
    os.utime(stale, (time.time() - 7200,) * 2)
    return stale


def test_cli_removes_stale_temporaries_before_saving(tmp_path, capsys):
    stale = _stale_temporary(tmp_path)
    assert main([*SMALL_RUN, "--out", str(tmp_path / "m.pt")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"] and not stale.exists()


# --- pretrain: the shipped checkpoints change only by an explicit full rebuild ----------------------


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, subfolders included, by its path there."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--only", "digits-vae-mlp-2d", "--quick"], "--out"),
        (["--quick"], "--out"),
        (["--only", "digits-vae-mlp-2d"], "--out"),
        (["--only", "digits-vae-mlp-2d", "--quick", "--out", "{shipped}"], "never written to the shipped folder"),
        (["--only", "digits-vae-mlp-2d", "--out", f"{SYS}/zz"], "cannot create the folder"),
        (["--out", f"{SYS}/zz"], "cannot create the folder"),
        (["--only", "digits-vae-mlp-2d", "--out", "{shipped}/digits-vae-mlp-2d.pt"], "is a file"),
        (["--only", "mnist-ae-mlp-16d-beta4", "--out", "{shipped}"], "unknown checkpoint(s) mnist-ae-mlp-16d-beta4.pt"),
    ],
)
def test_pretrain_never_overwrites_the_shipped_models_by_accident(
    shipped_copy, monkeypatch, capsys, no_training, args, message
):
    if any(SYS in a for a in args) and not Path(SYS).is_dir():
        pytest.skip("needs Linux's /sys")
    monkeypatch.setattr(pretrain, "CHECKPOINT_DIR", shipped_copy)
    before = _contents(shipped_copy)
    args = [a.replace("{shipped}", str(shipped_copy)) for a in args]
    assert _exit_code(pretrain.main, [*args, "--quiet", "--no-baseline"]) == 2
    assert message in _one_line_error(capsys)
    assert _contents(shipped_copy) == before


def test_pretrain_quick_writes_where_it_is_told_and_sweeps_stale_temporaries(tmp_path, shipped_copy, monkeypatch):
    monkeypatch.setattr(pretrain, "CHECKPOINT_DIR", shipped_copy)
    before = _contents(shipped_copy)
    out = tmp_path / "smoke"
    out.mkdir()
    stale = _stale_temporary(out)
    assert pretrain.main(["--only", "digits-vae-mlp-2d", "--quick", "--quiet", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["digits-vae-mlp-2d.pt"] and not stale.exists()
    assert load_checkpoint(out / "digits-vae-mlp-2d.pt")[1].settings.epochs == 150 // 20
    assert _contents(shipped_copy) == before


def test_pretrain_disk_full_is_a_message(tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(torch, "save", full)
    args = ["--only", "digits-vae-mlp-2d", "--quick", "--quiet", "--out", str(tmp_path)]
    assert _exit_code(pretrain.main, args) == 2
    assert "could not save" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []

"""The training command line: a good run saves a usable checkpoint; bad arguments fail clearly."""

import subprocess
import sys
from dataclasses import replace

import pytest

from tests.conftest import ROOT
from vae_core import DATASETS, DatasetUnavailable, load_checkpoint, load_dataset
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

"""bench/bench_uses.py stays runnable: a few digits through every table it prints. Its figures are
printed by the bench, never asserted here (the claims they back are tested on the shipped models in
tests/test_vae_core_imputation.py and tests/test_vae_core_attributes.py)."""

from __future__ import annotations

from bench import bench_uses
from vae_core.imputation import MASK_KINDS


def test_the_bench_prints_every_method_mask_and_attribute(capsys, monkeypatch) -> None:
    monkeypatch.setattr(bench_uses, "HALVES", ("top",))
    monkeypatch.setattr(bench_uses, "SYNTHETIC_PER_CLASS", (20,))
    bench_uses.main(["--count", "4", "--runs", "1", "--images", "30"])
    out = capsys.readouterr().out
    for name in ("ae optimise", "ae iterate", "vae optimise", "vae iterate", "diffusion inpaint"):
        (line,) = [row for row in out.splitlines() if row.startswith(name)]
        assert line.count("%") == len(MASK_KINDS)
    for attribute in ("ink", "slant", "width"):
        assert any(row.startswith(attribute) for row in out.splitlines())
    assert "inpainting" in out and "VAE below AE" in out
    assert sum(row.strip().split(" ")[0] in ("5", "10", "50", "100") for row in out.splitlines()) >= 4
    assert "synthetic only" in out and "synthetic digits help" in out
    assert "Import: 30 PNGs in class folders" in out

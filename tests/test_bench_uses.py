"""bench/bench_uses.py stays runnable: a few digits through every table it prints. Its figures are
printed by the bench, never asserted here (the claims they back are tested on the shipped models in
tests/test_vae_core_imputation.py and tests/test_vae_core_attributes.py)."""

from __future__ import annotations

from bench import bench_uses
from vae_core.imputation import MASK_KINDS


def test_the_bench_prints_every_method_mask_and_attribute(capsys, monkeypatch) -> None:
    monkeypatch.setattr(bench_uses, "HALVES", ("top",))
    bench_uses.main(["--count", "4"])
    out = capsys.readouterr().out
    for name in ("ae optimise", "ae iterate", "vae optimise", "vae iterate", "diffusion inpaint"):
        (line,) = [row for row in out.splitlines() if row.startswith(name)]
        assert line.count("%") == len(MASK_KINDS)
    for attribute in ("ink", "slant", "width"):
        assert any(row.startswith(attribute) for row in out.splitlines())
    assert "inpainting" in out and "VAE below AE" in out

"""A tqdm progress bar fed by the training loop's step reports (command-line use)."""

from __future__ import annotations

from tqdm import tqdm

from .training import StepReport


class ProgressBar:
    def __init__(self, *, desc: str, disable: bool = False, position: int | None = None):
        self._bar = tqdm(total=0, desc=desc, unit="step", disable=disable, position=position, dynamic_ncols=True)

    def update(self, report: StepReport) -> None:
        if self._bar.total != report.total_steps:
            self._bar.total = report.total_steps
        self._bar.update(report.step - self._bar.n)
        if report.step % 10 == 0 or report.step == report.total_steps:
            self._bar.set_postfix(epoch=report.epoch, loss=f"{report.loss:.1f}", kl=f"{report.kl:.1f}", refresh=False)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

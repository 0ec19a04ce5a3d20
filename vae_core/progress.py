"""A tqdm progress bar fed by the training loop's step reports (command-line use)."""

from __future__ import annotations

from tqdm import tqdm

from .autoencoder_training import StepReport
from .generative_training import GenerativeStep


class ProgressBar:
    def __init__(self, *, desc: str, disable: bool = False, position: int | None = None):
        self._bar = tqdm(total=0, desc=desc, unit="step", disable=disable, position=position, dynamic_ncols=True)

    def update(self, report: StepReport | GenerativeStep) -> None:
        if self._bar.total != report.total_steps:
            self._bar.total = report.total_steps
        self._bar.update(report.step - self._bar.n)
        if report.step % 10 == 0 or report.step == report.total_steps:
            figures = {"loss": f"{report.loss:.3g}"}
            if hasattr(report, "kl"):  # a GAN's or diffusion model's report has none
                figures["kl"] = f"{report.kl:.1f}"
            self._bar.set_postfix(epoch=report.epoch, **figures, refresh=False)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

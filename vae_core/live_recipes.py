"""The GAN and diffusion recipes that the Train page trains live, as data: each finishes on the
5,000-digit MNIST (4,500 training digits, 71 steps an epoch at batch 64) in about a minute, the
diffusion model in two, with one torch thread, as a training job runs.

Measured on a shared 2-core AMD EPYC vCPU, one torch thread. In CPU seconds of that thread
(time.process_time), which stand for an idle laptop core, per epoch with the job's own work after
each (16 samples shown; for a GAN also 500 samples read by the evaluator, ~1 s):
  stable GAN, width 32:          ~11 steps/s, 7 s + 1 s   (width 64: ~4 steps/s, 19 s)
  collapsing GAN, width 64:      ~4 steps/s, 17.6 s + 1 s
  diffusion, channels 16-32-32:  ~2.4 steps/s, 29 s + 0.5 s
And whole jobs through `training_jobs.TrainingJob` (niced child process, load average ~2.5 on the 2 cores),
from Start to the saved file: stable 7 epochs 60 s (first step after 4.6 s, epochs of 7.6 s),
collapsing 3 epochs 63 s (epochs of 17.1 s), diffusion 4 epochs 93–104 s (epochs of 21–25 s).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .diffusion import DiffusionConfig
from .gan import GANConfig
from .generative_training import DiffusionSettings, GanSettings
from .pretrain import generative_files
from .shipped import COLLAPSING_GAN_FILE


@dataclass(frozen=True)
class LiveRecipe:
    """A model and its training, with how long an epoch takes on one laptop core (for the page's estimate)."""

    config: GANConfig | DiffusionConfig
    settings: GanSettings | DiffusionSettings
    seconds_per_epoch: float

    @property
    def kind(self) -> str:
        return self.config.kind

    def with_epochs(self, epochs: int) -> LiveRecipe:
        """The same recipe for `epochs` epochs (a ValueError if that is no number of epochs)."""
        return replace(self, settings=replace(self.settings, epochs=epochs))


_COLLAPSING = generative_files()[COLLAPSING_GAN_FILE]

# The weights' moving average of the long recipes decays by 0.999 a step: after a few hundred steps it
# would still hold most of the random start. 0.99 averages the last hundred or so steps.
LIVE_EMA_DECAY = 0.99
MAX_LIVE_EPOCHS = 30

LIVE_RECIPES: dict[str, LiveRecipe] = {
    # The pretrained stable recipe (spectral norm, label smoothing, DiffAugment, DCGAN's learning rate)
    # with nets half as wide: in a minute they take 2.8 times the steps. After 7 epochs they draw strokes
    # of every digit (the evaluator reads 9 or 10 classes over 2 %, none over 30 %); width 64 after
    # 3 or 4 epochs drew blobs over a dotted grid.
    "stable": LiveRecipe(GANConfig(latent_dim=16, width=32), GanSettings(epochs=7, ema_decay=LIVE_EMA_DECAY), 7.6),
    # The pretrained collapsing recipe, shorter: every stabiliser off and ten times the learning rate.
    # It collapses from its first epoch: after each, the evaluator read 99 % of the samples as at most
    # three digits, mostly one (82–99 %). With the stable recipe's narrower nets it did not collapse
    # for long: after 6 epochs it drew every digit.
    "collapsing": LiveRecipe(_COLLAPSING.config, replace(_COLLAPSING.settings, epochs=3), 17.5),
    # A U-Net half as wide as the pretrained one (16-32-32 channels), at batch 64: strokes and loops
    # like digits' after 1 or 2 epochs.
    "diffusion": LiveRecipe(
        DiffusionConfig(channels=(16, 32, 32)),
        DiffusionSettings(epochs=4, batch_size=64, ema_decay=LIVE_EMA_DECAY),
        26.0,
    ),
}
GAN_RECIPES = ("stable", "collapsing")

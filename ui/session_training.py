"""This session's training run: the jobs live in session state, train in vae_core's child processes,
and their finished models join the session's list of models (and so the picker on every page).

Imports torch only to start a run: `register_finished_models` runs first on every page, before a
fresh server has loaded anything heavy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import streamlit as st

from .browser import memory
from .paths import trained_dir

if TYPE_CHECKING:
    from pathlib import Path

    from vae_core.training_jobs import JobSettings, TrainableConfig, TrainingJob, TrainingProgress

RUN_KEY = "training_run"  # the session's view of its browser's run (the browser's memory holds it)


@dataclass
class TrainingRun:
    """One AE, one VAE, or both trained with identical settings, or one GAN or diffusion model of a
    live recipe; at most one per session at a time."""

    run_id: str
    dataset: str
    config: TrainableConfig  # the shared configuration; `kind` is set per job
    settings: JobSettings
    jobs: dict[str, TrainingJob] = field(default_factory=dict)  # "ae" / "vae" (or "gan" / "diffusion") → job
    registered: bool = False  # its saved models were added to the session's list
    recipe: str | None = None  # a GAN's or diffusion model's live recipe (vae_core.live_recipes)

    @property
    def generative(self) -> bool:
        return self.recipe is not None

    def snapshots(self) -> dict[str, TrainingProgress]:
        return {kind: job.snapshot() for kind, job in self.jobs.items()}

    @property
    def finished(self) -> bool:
        return all(job.finished for job in self.jobs.values())

    def stop(self) -> None:
        for job in self.jobs.values():
            job.stop()

    def keepalive(self) -> None:
        """A page of this browser is open: the training goes on (see `vae_core.training_jobs.IDLE_TIMEOUT_S`)."""
        for job in self.jobs.values():
            job.keepalive()


def current_run() -> TrainingRun | None:
    """This browser's training, running or done: a reload or another tab finds it again."""
    run = memory().run  # the browser's, not a copy: another tab may have started a newer one
    if run is not None:
        st.session_state[RUN_KEY] = run
    return run


def session_models() -> dict[str, str]:
    """path → run id of every model this browser trained (in any of its tabs, before any reload)."""
    return dict(memory().models)


def start_run(
    *,
    dataset: str,
    kinds: list[str],
    config: TrainableConfig,
    settings: JobSettings,
    labels: dict[str, str],
    recipe: str | None = None,
    evaluator: Path | None = None,
) -> TrainingRun:
    """Start one background job per model kind; the page only polls their snapshots. `evaluator`:
    the classifier that reads a GAN's samples for the class shares."""
    from vae_core.training_jobs import IDLE_TIMEOUT_S, TrainingJob  # noqa: PLC0415 - torch loads with the Train page

    run = TrainingRun(uuid.uuid4().hex[:8], dataset, config, settings, recipe=recipe)
    for kind in kinds:
        model_config = replace(config, kind=kind)
        run.jobs[kind] = TrainingJob(
            label=labels[kind],
            dataset=dataset,
            model_config=model_config,
            settings=settings,
            out_dir=trained_dir(),
            idle_timeout=IDLE_TIMEOUT_S,
            evaluator=evaluator,
        )
    st.session_state[RUN_KEY] = memory().run = run
    for job in run.jobs.values():
        job.start()
    return run


HEARTBEAT_S = 20  # how often an open page tells this browser's training that someone is there


def watch_training() -> None:
    """On every page: while this browser's training runs, tell it that a page is open (now and
    every HEARTBEAT_S seconds); a training whose tabs are all closed stops after its idle timeout."""
    run = current_run()
    if run is None or run.finished:
        return
    run.keepalive()
    with st.sidebar:
        st.fragment(run.keepalive, run_every=HEARTBEAT_S)()


def register_finished_models() -> list[str]:
    """Add the saved models of a finished run to the browser's list (once); returns their paths.

    Called on every rerun of every page, so a model that finishes while the user looks at another
    page is offered there at the next interaction.
    """
    run = current_run()
    if run is None or run.registered or not run.finished:
        return []
    paths = [s.checkpoint_path for s in run.snapshots().values() if s.checkpoint_path]
    memory().models.update({path: run.run_id for path in paths})
    run.registered = True
    return paths

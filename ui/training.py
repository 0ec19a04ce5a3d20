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

from .paths import trained_dir

if TYPE_CHECKING:
    from vae_core import ModelConfig, TrainSettings
    from vae_core.jobs import TrainingJob, TrainingProgress

RUN_KEY = "training_run"
SESSION_MODELS_KEY = "trained_models"  # path → run id: the models this session trained


@dataclass
class TrainingRun:
    """One AE, one VAE, or both trained with identical settings; at most one per session at a time."""

    run_id: str
    dataset: str
    config: ModelConfig  # the shared configuration; `kind` is set per job
    settings: TrainSettings
    jobs: dict[str, TrainingJob] = field(default_factory=dict)  # "ae" / "vae" → job
    registered: bool = False  # its saved models were added to the session's list

    def snapshots(self) -> dict[str, TrainingProgress]:
        return {kind: job.snapshot() for kind, job in self.jobs.items()}

    @property
    def finished(self) -> bool:
        return all(job.finished for job in self.jobs.values())

    def stop(self) -> None:
        for job in self.jobs.values():
            job.stop()


def current_run() -> TrainingRun | None:
    return st.session_state.get(RUN_KEY)


def session_models() -> dict[str, str]:
    """path → run id of every model this session trained."""
    return dict(st.session_state.get(SESSION_MODELS_KEY, {}))


def start_run(
    *, dataset: str, kinds: list[str], config: ModelConfig, settings: TrainSettings, labels: dict[str, str]
) -> TrainingRun:
    """Start one background job per model kind; the page only polls their snapshots."""
    from vae_core.jobs import TrainingJob  # noqa: PLC0415 - torch loads with the Train page, not before

    run = TrainingRun(uuid.uuid4().hex[:8], dataset, config, settings)
    for kind in kinds:
        model_config = replace(config, kind=kind)
        run.jobs[kind] = TrainingJob(
            label=labels[kind], dataset=dataset, model_config=model_config, settings=settings, out_dir=trained_dir()
        )
    st.session_state[RUN_KEY] = run
    for job in run.jobs.values():
        job.start()
    return run


def register_finished_models() -> list[str]:
    """Add the saved models of a finished run to the session's list (once); returns their paths.

    Called on every rerun of every page, so a model that finishes while the user looks at another
    page is offered there at the next interaction.
    """
    run = current_run()
    if run is None or run.registered or not run.finished:
        return []
    paths = [s.checkpoint_path for s in run.snapshots().values() if s.checkpoint_path]
    st.session_state[SESSION_MODELS_KEY] = {**session_models(), **{path: run.run_id for path in paths}}
    run.registered = True
    return paths

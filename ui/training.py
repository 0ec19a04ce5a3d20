"""This session's training run: the jobs live in session state, train in vae_core's child processes,
and their finished models join the session's list of models (and so the picker on every page)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

import streamlit as st

from vae_core import ModelConfig, TrainSettings
from vae_core.jobs import TrainingJob, TrainingProgress

from .catalog import SessionModel
from .paths import trained_dir
from .picker import SESSION_MODELS_KEY

RUN_KEY = "training_run"


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


def start_run(*, dataset: str, kinds: list[str], config: ModelConfig, settings: TrainSettings,
              labels: dict[str, str]) -> TrainingRun:  # fmt: skip
    """Start one background job per model kind; the page only polls their snapshots."""
    run = TrainingRun(uuid.uuid4().hex[:8], dataset, config, settings)
    for kind in kinds:
        run.jobs[kind] = TrainingJob(label=labels[kind], dataset=dataset, model_config=replace(config, kind=kind),
                                     settings=settings, out_dir=trained_dir())  # fmt: skip
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
    models: list[SessionModel] = list(st.session_state.get(SESSION_MODELS_KEY, []))
    models += [SessionModel(path, run.run_id) for path in paths]
    st.session_state[SESSION_MODELS_KEY] = models
    run.registered = True
    return paths

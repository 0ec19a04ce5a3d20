"""Background training jobs: progress while running, stop keeps the work, a failure is reported."""

import multiprocessing
import os
import time
from pathlib import Path

from vae_core import ModelConfig, TrainSettings, load_checkpoint
from vae_core import jobs as jobs_module
from vae_core.jobs import TrainingJob

SMALL = ModelConfig(kind="vae", image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(32, 16))


def _wait(job, timeout=120):
    deadline = time.monotonic() + timeout
    while job.alive and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not job.alive, "the training job did not finish in time"
    return job.snapshot()


def test_job_trains_reports_progress_and_saves(tmp_path):
    job = TrainingJob(label="vae", dataset="digits", model_config=SMALL,
                      settings=TrainSettings(epochs=2, batch_size=128), out_dir=tmp_path, device="cpu").start()  # fmt: skip
    progress = _wait(job)
    assert progress.status == "done", progress.error
    assert progress.step == progress.total_steps == 2 * 13 and progress.epoch == 2
    assert progress.curve["step"] == list(range(1, 27)) and len(progress.curve["kl"]) == 26
    assert len(progress.epoch_rows) == 2 and progress.preview.shape == (2 * 9 + 1, 8 * 9 + 1)
    assert progress.seconds_left == 0
    model, info = load_checkpoint(progress.checkpoint_path)
    assert info.config == SMALL and info.dataset == "digits" and progress.metrics["elbo"] < 0
    assert progress.checkpoint_path.startswith(str(tmp_path))


def test_stop_saves_what_was_learned(tmp_path):
    job = TrainingJob(label="vae", dataset="digits", model_config=SMALL,
                      settings=TrainSettings(epochs=200, batch_size=16), out_dir=tmp_path, device="cpu").start()  # fmt: skip
    deadline = time.monotonic() + 60
    while job.snapshot().step < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    job.stop()
    progress = _wait(job)
    assert progress.status == "stopped" and 3 <= progress.step < progress.total_steps
    assert load_checkpoint(progress.checkpoint_path)[1].metrics["stopped_early"] is True


def test_a_failure_is_reported_not_raised(tmp_path):
    job = TrainingJob(label="bad", dataset="mnist", model_config=SMALL,  # 8×8 model on 28×28 images
                      settings=TrainSettings(epochs=1), out_dir=tmp_path, device="cpu").start()  # fmt: skip
    progress = _wait(job)
    assert progress.status == "failed" and "'mnist' has (1, 28, 28)" in progress.error
    assert list(tmp_path.iterdir()) == []


def test_jobs_queue_beyond_the_server_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs_module, "_slots", jobs_module.threading.BoundedSemaphore(1))
    slow = TrainingJob(label="a", dataset="digits", model_config=SMALL,
                       settings=TrainSettings(epochs=200, batch_size=16), out_dir=tmp_path, device="cpu").start()  # fmt: skip
    waiting = TrainingJob(label="b", dataset="digits", model_config=SMALL,
                          settings=TrainSettings(epochs=1), out_dir=tmp_path, device="cpu").start()  # fmt: skip
    deadline = time.monotonic() + 60
    while slow.snapshot().step < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert waiting.snapshot().status == "queued"
    assert not waiting.finished and not slow.finished
    waiting.stop()  # stopping a queued job ends it without training
    assert _wait(waiting).status == "stopped" and _wait(waiting).step == 0 and waiting.finished
    slow.stop()
    assert _wait(slow).status == "stopped" and slow.finished


def _priority_after_background(queue, without_nice: bool = False) -> None:
    """In a spawned child, as a training job: what `_run_in_background` leaves."""
    if without_nice:  # as on Windows
        del os.nice
        jobs_module._run_in_background()
        queue.put("ran")
        return
    jobs_module._run_in_background()
    autogroup = Path("/proc/self/autogroup")
    queue.put((os.nice(0), os.getsid(0) == os.getpid(), autogroup.read_text() if autogroup.exists() else None))


def test_a_training_process_takes_only_what_the_machine_leaves_over():
    """Niced, and where Linux groups processes by session (autogroup), in a session of its own
    whose group has the lowest priority: a nice value alone ranks it only against the server."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_priority_after_background, args=(queue,))
    child.start()
    niceness, own_session, autogroup = queue.get(timeout=60)
    child.join(30)
    assert niceness >= jobs_module.TRAINING_NICENESS
    enabled = Path("/proc/sys/kernel/sched_autogroup_enabled")
    if enabled.exists() and enabled.read_text().strip() == "1" and os.access("/proc/self/autogroup", os.W_OK):
        assert own_session, "the training process stayed in the server's session (and scheduling group)"
        assert autogroup.strip().endswith(f"nice {jobs_module.BACKGROUND_GROUP_NICENESS}"), autogroup
        assert not Path("/proc/self/autogroup").read_text().strip().endswith("nice 19"), "the parent's group was lowered"


def test_a_training_process_starts_where_there_is_no_nice():
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_priority_after_background, args=(queue, True))
    child.start()
    assert queue.get(timeout=60) == "ran"
    child.join(30)

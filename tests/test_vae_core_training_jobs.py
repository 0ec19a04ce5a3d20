"""Background training jobs: progress while running, stop keeps the work, a failure is reported, slots queue."""

import multiprocessing
import os
import pickle
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from vae_core import ModelConfig, StepReport, TrainSettings, evaluate, load_checkpoint, load_dataset
from vae_core import training_jobs as jobs_module
from vae_core.training_jobs import TrainingJob, TrainingSlots

SMALL = ModelConfig(kind="vae", image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(32, 16))


ONE_EPOCH = TrainSettings(epochs=1)


def _job(tmp_path, *, label="vae", dataset="digits", settings=ONE_EPOCH, slots=jobs_module.SLOTS):
    return TrainingJob(
        label=label, dataset=dataset, model_config=SMALL, settings=settings, out_dir=tmp_path, device="cpu", slots=slots
    )


def _wait(job, timeout=120):
    """The job's final progress, waiting as the page does: on `finished`."""
    deadline = time.monotonic() + timeout
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.finished, "the training job did not finish in time"
    return job.snapshot()


def _wait_for_step(job, step, timeout=60):
    deadline = time.monotonic() + timeout
    while job.snapshot().step < step and time.monotonic() < deadline:
        time.sleep(0.02)


def test_job_trains_reports_progress_and_saves(tmp_path):
    job = _job(tmp_path, settings=TrainSettings(epochs=2, batch_size=128)).start()
    progress = _wait(job)
    assert progress.status == "done", progress.error
    assert progress.step == progress.total_steps == 2 * 13 and progress.epoch == 2
    assert progress.curve["step"] == list(range(1, 27)) and len(progress.curve["kl"]) == 26
    assert len(progress.epoch_rows) == 2 and progress.preview.shape == (2 * 9 + 1, 8 * 9 + 1)
    assert progress.seconds_left == 0
    model, info = load_checkpoint(progress.checkpoint_path)
    assert info.config == SMALL and info.dataset == "digits" and progress.metrics["elbo"] < 0
    # the KL of each latent dimension, measured in the child: that of the saved file
    expected = evaluate(model, load_dataset("digits").val_images).kl_per_dim
    np.testing.assert_allclose(progress.kl_per_dim, expected, rtol=1e-6)
    assert progress.checkpoint_path.startswith(str(tmp_path))


def test_stop_saves_what_was_learned(tmp_path):
    job = _job(tmp_path, settings=TrainSettings(epochs=200, batch_size=16)).start()
    _wait_for_step(job, 3)
    job.stop()
    progress = _wait(job)
    assert progress.status == "stopped" and 3 <= progress.step < progress.total_steps
    assert load_checkpoint(progress.checkpoint_path)[1].metrics["stopped_early"] is True


def test_a_failure_is_reported_not_raised(tmp_path):
    job = _job(tmp_path, label="bad", dataset="mnist").start()  # 8×8 model on 28×28 images
    progress = _wait(job)
    assert progress.status == "failed" and "'mnist' has (1, 28, 28)" in progress.error
    assert list(tmp_path.iterdir()) == []


def test_a_diverged_training_is_reported_as_failed_and_not_saved(tmp_path):
    diverging = TrainSettings(epochs=1, lr=1.0, lr_schedule="constant")  # Adam at rate 1 blows up at once
    progress = _wait(_job(tmp_path, label="diverged", settings=diverging).start())
    assert progress.status == "failed" and "not finite numbers" in progress.error
    assert progress.error.startswith("training diverged")  # the explanation, not an exception's name
    assert progress.checkpoint_path is None and list(tmp_path.iterdir()) == []


def test_a_folder_where_nothing_can_be_saved_fails_before_training(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the models' folder should be")
    progress = _wait(_job(blocker / "trained", settings=TrainSettings(epochs=200)).start())
    assert progress.status == "failed" and "cannot save" in (progress.error or "")
    assert progress.step == 0 and not progress.epoch_rows  # nothing trained for nothing


def test_jobs_queue_beyond_the_server_bound(tmp_path):
    slots = TrainingSlots(1)
    slow = _job(tmp_path, label="a", settings=TrainSettings(epochs=200, batch_size=16), slots=slots).start()
    waiting = _job(tmp_path, label="b", slots=slots).start()
    _wait_for_step(slow, 2)
    assert waiting.snapshot().status == "queued" and slots.running == 1
    assert not waiting.finished and not slow.finished
    waiting.stop()  # stopping a queued job ends it without training
    assert _wait(waiting).status == "stopped" and _wait(waiting).step == 0 and waiting.finished
    slow.stop()
    assert _wait(slow).status == "stopped" and slow.finished
    deadline = time.monotonic() + 60  # the watcher hands its slot back once the child has exited
    while slots.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slots.running == 0


def test_slots_bound_the_models_running_and_a_stop_ends_the_wait():
    slots, stop = TrainingSlots(2), threading.Event()
    assert slots.acquire(stop) and slots.acquire(stop) and slots.running == 2
    assert not slots.acquire(stop, timeout=0.05)  # full: gives up after the timeout
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(slots.acquire(stop)))
    waiter.start()
    time.sleep(0.1)
    stop.set()
    waiter.join(5)
    assert results == [False] and slots.running == 2
    slots.release()
    assert slots.acquire(threading.Event(), timeout=1) and slots.running == 2
    slots.release()
    slots.release()
    assert slots.running == 0
    with pytest.raises(RuntimeError, match="not acquired"):
        slots.release()
    with pytest.raises(ValueError, match="at least 1"):
        TrainingSlots(0)


def test_a_released_slot_goes_to_a_waiting_job():
    slots = TrainingSlots(1)
    assert slots.acquire(threading.Event())
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(slots.acquire(threading.Event())))
    waiter.start()
    time.sleep(0.1)
    assert results == []  # still waiting
    slots.release()
    waiter.join(5)
    assert results == [True] and slots.running == 1


def test_the_queue_is_first_come_first_served_and_each_knows_its_place():
    slots = TrainingSlots(1)
    assert slots.acquire(threading.Event())
    tickets, order = [object() for _ in range(3)], []

    def wait(i: int) -> None:
        if slots.acquire(threading.Event(), ticket=tickets[i]):
            order.append(i)

    waiters = []
    for i in range(3):  # they arrive 0, 1, 2
        waiters.append(threading.Thread(target=wait, args=(i,)))
        waiters[-1].start()
        deadline = time.monotonic() + 5
        while slots.place(tickets[i]) != i + 1 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert [slots.place(t) for t in tickets] == [1, 2, 3] and slots.waiting == 3
    for expected in range(3):
        slots.release()
        deadline = time.monotonic() + 5
        while len(order) <= expected and time.monotonic() < deadline:
            time.sleep(0.01)
        assert order == list(range(expected + 1))  # the one that came first trains first
    assert slots.place(tickets[0]) == 0 and slots.waiting == 0
    for waiter in waiters:
        waiter.join(5)


def test_the_queue_is_bounded():
    slots, stop = TrainingSlots(1, queue_limit=1), threading.Event()
    assert slots.acquire(stop)
    waiter = threading.Thread(target=lambda: slots.acquire(stop))
    waiter.start()
    deadline = time.monotonic() + 5
    while slots.waiting < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(jobs_module.QueueFull):
        slots.acquire(stop)
    stop.set()
    waiter.join(5)
    assert slots.waiting == 0 and TrainingSlots(3).queue_limit == 3 * TrainingSlots(1).queue_limit > 0  # per slot


def test_a_job_refused_by_a_full_queue_says_so(tmp_path):
    slots, stop = TrainingSlots(1, queue_limit=0), threading.Event()
    assert slots.acquire(stop)
    progress = _wait(_job(tmp_path, slots=slots).start())
    assert progress.status == "failed" and progress.queue_full and "queue is full" in progress.error
    slots.release()


def test_a_job_nobody_watches_stops_and_one_watched_goes_on(tmp_path):
    long = TrainSettings(epochs=200, batch_size=16)
    watched = TrainingJob(
        label="watched",
        dataset="digits",
        model_config=SMALL,
        settings=long,
        out_dir=tmp_path,
        device="cpu",
        slots=TrainingSlots(2),
        idle_timeout=1.5,
    )
    forgotten = TrainingJob(
        label="forgotten",
        dataset="digits",
        model_config=SMALL,
        settings=long,
        out_dir=tmp_path,
        device="cpu",
        slots=watched.slots,
        idle_timeout=1.5,
    )
    watched.start(), forgotten.start()
    deadline = time.monotonic() + 30
    while not forgotten.finished and time.monotonic() < deadline:
        watched.keepalive()
        time.sleep(0.2)
    ended = _wait(forgotten)
    assert ended.status == "stopped" and ended.abandoned
    assert not watched.finished and not watched.snapshot().abandoned
    watched.stop()
    assert _wait(watched).status == "stopped" and not watched.snapshot().abandoned


def test_step_reports_cross_the_pipe_as_they_are():
    report = StepReport(step=3, total_steps=10, epoch=1, loss=1.5, recon=1.0, kl=0.5, beta=1.0, elapsed=0.2)
    assert pickle.loads(pickle.dumps([report])) == [report]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity to read on this system")
def test_the_server_trains_one_model_per_core_it_may_use():
    assert jobs_module.SLOTS.capacity == len(os.sched_getaffinity(0))


def _autogroup(pid: int | str = "self") -> tuple[str, int] | None:
    """A process's Linux scheduling group and that group's nice value ("/autogroup-17 nice 0"), read
    from outside; None where there is none to read."""
    path = Path(f"/proc/{pid}/autogroup")
    try:
        name, _, nice = path.read_text().split()
    except (OSError, ValueError):
        return None
    return name, int(nice)


def _training_child(label: str) -> multiprocessing.Process:
    """The child process a job named `label` trains in (multiprocessing keeps a list of the children)."""
    [child] = [p for p in multiprocessing.active_children() if p.name == f"train-{label}"]
    return child


def test_a_training_process_takes_only_what_the_machine_leaves_over(tmp_path):
    """Seen from the server, while a real job trains: its child process has a lower CPU priority than
    the server, and where Linux groups processes by session (autogroup) it is in a session and a
    group of its own, ranked below the server's: a nice value alone ranks it only against the
    server. The server's own group is left as it was."""
    ours, our_group = os.getpriority(os.PRIO_PROCESS, 0), _autogroup()
    job = _job(tmp_path, label="background", settings=TrainSettings(epochs=200, batch_size=16)).start()
    try:
        _wait_for_step(job, 1)  # the child lowered its priority before its first step
        child = _training_child("background")
        assert job.snapshot().status == "running" and jobs_module.running_models() >= 1  # it holds a server slot
        if ours < 19:  # 19, the lowest priority, cannot be lowered further
            assert os.getpriority(os.PRIO_PROCESS, child.pid) > ours, "the training runs at the server's priority"
        enabled = Path("/proc/sys/kernel/sched_autogroup_enabled")
        # An autogroup ranks the server only where it is in one: in a container whose cgroup has a CPU
        # controller, the cgroup ranks it instead and /proc/self/autogroup reads empty.
        autogroups = enabled.exists() and enabled.read_text().strip() == "1" and our_group is not None
        if autogroups and os.access("/proc/self/autogroup", os.W_OK):
            assert os.getsid(child.pid) == child.pid != os.getsid(0), "the training stayed in the server's session"
            group = _autogroup(child.pid)
            assert group is not None, "the training's scheduling group cannot be read, though the server's can"
            assert group[0] != our_group[0], "the training stayed in the server's scheduling group"
            if our_group[1] < 19:
                assert group[1] > our_group[1], f"its group {group} is not below the server's {our_group}"
            assert _autogroup() == our_group, "the server's own group was lowered"
    finally:
        job.stop()
        _wait(job)


def _background_without_nice(queue) -> None:
    """In a spawned child, as a training job on a system without os.nice (Windows)."""
    del os.nice
    jobs_module._run_in_background()
    queue.put("ran")


def test_a_training_process_starts_where_there_is_no_nice():
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_background_without_nice, args=(queue,))
    child.start()
    assert queue.get(timeout=60) == "ran"
    child.join(30)


def test_a_running_job_says_it_is_starting_until_its_first_step():
    """The child process takes seconds to start: until its first step there is no epoch and no time left."""
    progress = jobs_module.TrainingProgress(label="vae", epochs=10)
    assert progress.status == "queued" and not progress.starting
    progress.status = "running"
    assert progress.starting and progress.seconds_left is None
    progress.step, progress.total_steps, progress.elapsed = 1, 130, 0.05
    assert not progress.starting and progress.seconds_left == pytest.approx(0.05 * 129)
    progress.status = "stopped"
    progress.step = 0
    assert not progress.starting  # stopped before its first step: finished, not starting


def test_a_job_is_starting_from_its_slot_until_the_childs_first_step(tmp_path):
    job = _job(tmp_path, settings=TrainSettings(epochs=2, batch_size=128)).start()
    seen = []
    while not job.finished:
        p = job.snapshot()
        seen.append((p.status, p.step, p.starting))
        time.sleep(0.005)
    assert _wait(job).status == "done" and not job.snapshot().starting
    assert ("running", 0, True) in seen, "the start-up of the training process was never seen as starting"
    assert all(starting == (status == "running" and step == 0) for status, step, starting in seen)


def test_a_snapshot_does_not_change_while_the_worker_goes_on(tmp_path):
    job = _job(tmp_path, settings=TrainSettings(epochs=3, batch_size=64)).start()
    _wait_for_step(job, 2)
    early = job.snapshot()
    steps, rows = list(early.curve["step"]), list(early.epoch_rows)
    progress = _wait(job)
    assert progress.step > len(steps) and len(progress.epoch_rows) == 3
    assert early.curve["step"] == steps and early.epoch_rows == rows  # the page's copy stayed as it was

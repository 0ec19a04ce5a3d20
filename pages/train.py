"""Train: an AE, a VAE, or both with identical settings, trained in child processes and watched live."""

from ui.shell import page_setup

page_setup("train", formulas=["elbo"])

from pathlib import Path

import streamlit as st

from ui.figures import LossSeries, loss_curves
from ui.forming import replay_section, show_live_codes
from ui.images import enlarge, png_data_url
from ui.navigation import PAGE_BY_NAME
from ui.picker import current_catalog, select_pair
from ui.state import clamp, default, remember_widget_values
from ui.style import show_chart
from ui.texts import (
    dataset_description,
    dataset_label,
    decimal,
    duration,
    kind_label,
    labels,
    number,
    option_labels,
    plain,
    plot_separators,
    slider_format,
    t,
)
from ui.training import TrainingRun, current_run, register_finished_models, start_run
from vae_core import DATASETS, NOISE_KINDS, DatasetUnavailable, ModelConfig, TrainSettings, load_dataset
from vae_core.evaluation import posterior_collapse
from vae_core.jobs import IDLE_TIMEOUT_S, MAX_CONCURRENT_MODELS, TrainingProgress, running_models
from vae_core.pipeline import recipe_for

SETTINGS = ("dataset", "models", "arch", "widths", "latent", "beta", "epochs", "lr", "batch", "noise", "noise_level")
KEYS = {name: f"keep.train_{name}" for name in SETTINGS}  # kept when the user visits other pages
MODEL_CHOICES = {"both": ["ae", "vae"], "ae": ["ae"], "vae": ["vae"]}
WIDTHS = {"mlp": ["512-256", "256-128", "128-64", "64-32"], "conv": ["32-64", "16-32"]}
LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]
BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024]
DENOISE_CHOICES = ["none", *NOISE_KINDS]  # "none": a plain (not denoising) autoencoder
MAX_DENOISE_LEVEL, DEFAULT_DENOISE_LEVEL = 0.6, 0.3
MAX_EPOCHS_SMALL, MAX_EPOCHS_LARGE = 200, 30  # offline sets of a few thousand images / 70,000-image downloads
POLL_SECONDS = 0.5


def model_label(run: TrainingRun, kind: str) -> str:
    key = "train.model_label" if run.settings.corruption is None else "train.model_label_denoising"
    return t(key, model=kind_label(kind), d=run.config.latent_dim, dataset=dataset_label(run.dataset))


def show_status(run: TrainingRun, kind: str, snap: TrainingProgress) -> None:
    """One line per model: queued, a progress bar with time left, or how it ended."""
    name = model_label(run, kind)
    if snap.status == "queued":
        place = run.jobs[kind].place
        st.info(
            t("train.status.queued", model=name, place=place, running=running_models(), max=MAX_CONCURRENT_MODELS),
            icon=":material/hourglass_top:",
        )
    elif snap.starting:  # the child process is still starting: no epoch begun, nothing to estimate
        st.progress(0.0, text=t("train.status.starting", model=name))
    elif snap.status == "running":
        left = duration(snap.seconds_left) if snap.seconds_left is not None else "…"
        fraction = snap.step / snap.total_steps if snap.total_steps else 0.0
        st.progress(
            min(fraction, 1.0),
            text=t("train.status.running", model=name, epoch=max(snap.epoch, 1), epochs=snap.epochs, left=left),
        )
    elif snap.status == "done":
        st.success(
            t(
                "train.status.done",
                model=name,
                file=Path(snap.checkpoint_path or "").name,
                seconds=duration(snap.elapsed),
                result=result_text(run, snap),
            )
        )
    elif snap.status == "stopped":
        if snap.checkpoint_path:
            st.warning(t("train.status.stopped", model=name, file=Path(snap.checkpoint_path).name, epoch=snap.epoch))
        else:
            st.warning(t("train.status.stopped_empty", model=name))
    elif snap.queue_full:
        st.error(t("train.status.queue_full", model=name, max=MAX_CONCURRENT_MODELS))
    else:
        st.error(t("train.status.failed", model=name, error=plain(snap.error or "?")))
    if snap.abandoned:
        st.caption(t("train.abandoned", minutes=round(IDLE_TIMEOUT_S / 60)))
    if snap.checkpoint_path and posterior_collapse(snap.metrics):
        m = snap.metrics
        st.warning(
            t(
                "train.collapse",
                model=name,
                kl=decimal(m["kl"], 2),
                active=m.get("active_units", "?"),
                dims=run.config.latent_dim,
            ),
            icon=":material/warning:",
        )
        st.page_link(PAGE_BY_NAME["beta"].path, label=t("beta.from_train"), icon=PAGE_BY_NAME["beta"].icon)


def result_text(run: TrainingRun, snap: TrainingProgress) -> str:
    m, s = snap.metrics, run.settings
    if m.get("elbo") is not None:
        text = t("train.result.vae", elbo=m["elbo"], recon=m["recon"], kl=m["kl"])
    else:
        text = t("train.result.ae", recon=m.get("recon", float("nan")))
    if s.corruption is not None and m.get("denoise_recon") is not None:
        noise, level = t(f"uses.noise.{s.corruption}"), number(s.corruption_level)
        text += " " + t("train.result.denoising", noise=noise, level=level, recon=decimal(m["denoise_recon"]))
    return text


def live_progress(run: TrainingRun, polling: bool) -> None:
    """Status, curves and test reconstructions; reruns itself twice a second while training."""
    snapshots = run.snapshots()
    for kind, snap in snapshots.items():
        show_status(run, kind, snap)
    series = [
        LossSeries(kind_label(k), k, s.curve["step"], s.curve["loss"], s.curve["recon"], s.curve["kl"])
        for k, s in snapshots.items()
        if s.curve["step"]
    ]
    if series:
        fig = loss_curves(
            series,
            titles=(t("train.curve.loss"), t("train.curve.recon"), t("train.curve.kl")),
            x_title=t("train.curve.x"),
            y_title=t("train.curve.y"),
            separators=plot_separators(),
        )
        show_chart(fig, key="train_curves")
    if not all(s.finished for s in snapshots.values()):  # afterwards the replay below takes over
        show_live_codes(run.run_id, snapshots)
    previews = [(k, s) for k, s in snapshots.items() if s.preview is not None]
    if previews:
        st.markdown(f"**{t('train.preview_title')}**")
        for column, (kind, snap) in zip(st.columns(len(previews)), previews, strict=True):
            column.image(
                png_data_url(enlarge(snap.preview, 480)),
                width="stretch",
                caption=t("train.preview", model=kind_label(kind), epoch=len(snap.epoch_rows)),
            )
    if all(s.finished for s in snapshots.values()):
        # Registered and offered here, inside the fragment, so the way to the new models never
        # waits on a full rerun (under a class's load, one was seen not to come).
        register_finished_models()
        if any(s.checkpoint_path for s in snapshots.values()):
            if st.button(
                t("train.explore"), icon=":material/arrow_forward:", on_click=explore, args=(run,), key="train_explore"
            ):
                st.switch_page(PAGE_BY_NAME["latent_grid"].path)
        if polling:
            st.rerun()  # a full rerun: polling stops and the controls come back


def explore(run: TrainingRun) -> None:
    """A button's callback: choose the run's models in the picker, then go and look at them."""
    pair = current_catalog().pair_of_run(run.run_id)
    if pair is not None:
        select_pair(pair)


run = current_run()
busy = run is not None and not run.finished


# --- settings ---------------------------------------------------------------------------------
def mlp_widths(dataset: str) -> str:
    return "-".join(str(n) for n in recipe_for(dataset).hidden_dims)


def use_dataset_defaults() -> None:
    """A new data set brings its own layer sizes, epochs, learning rate and batch size: 8×8 digits
    need far smaller layers than MNIST and many more epochs, or their VAE collapses."""
    recipe = recipe_for(st.session_state[KEYS["dataset"]])
    if st.session_state.get(KEYS["arch"], "mlp") == "mlp":
        st.session_state[KEYS["widths"]] = mlp_widths(st.session_state[KEYS["dataset"]])
    st.session_state[KEYS["epochs"]] = recipe.epochs
    st.session_state[KEYS["lr"]] = recipe.lr
    st.session_state[KEYS["batch"]] = recipe.batch_size


datasets = list(DATASETS)
default(KEYS["dataset"], "mnist", datasets)
default(KEYS["models"], "both", list(MODEL_CHOICES))
default(KEYS["arch"], "mlp", list(WIDTHS))
default(KEYS["latent"], 2)
default(KEYS["beta"], 1.0)
recipe = recipe_for(st.session_state[KEYS["dataset"]])  # the chosen data set's settings (vae_core.pipeline)
default(KEYS["epochs"], recipe.epochs)
default(KEYS["lr"], recipe.lr, LEARNING_RATES)
default(KEYS["batch"], recipe.batch_size, BATCH_SIZES)
default(KEYS["noise"], "none", DENOISE_CHOICES)
default(KEYS["noise_level"], DEFAULT_DENOISE_LEVEL, low=0.0, high=MAX_DENOISE_LEVEL)
c1, c2, c3 = st.columns(3, gap="large")
with c1:
    dataset = st.selectbox(
        t("train.dataset"),
        datasets,
        key=KEYS["dataset"],
        disabled=busy,
        format_func=labels(datasets, dataset_label),
        on_change=use_dataset_defaults,
    )
    st.caption(dataset_description(dataset))
    models = st.radio(
        t("train.models"),
        list(MODEL_CHOICES),
        key=KEYS["models"],
        horizontal=True,
        disabled=busy,
        help=t("train.models_help"),
        format_func=option_labels(MODEL_CHOICES, "train.models"),
    )
    arch = st.radio(
        t("train.arch"),
        list(WIDTHS),
        key=KEYS["arch"],
        horizontal=True,
        disabled=busy,
        format_func=option_labels(WIDTHS, "arch"),
        help=t("train.arch_help"),
    )
with c2:
    preferred_widths = mlp_widths(dataset) if arch == "mlp" else WIDTHS[arch][0]
    default(KEYS["widths"], preferred_widths, WIDTHS[arch])
    widths = st.selectbox(
        t(f"train.widths.{arch}"), WIDTHS[arch], key=KEYS["widths"], disabled=busy, help=t(f"train.widths.{arch}_help")
    )
    latent = st.number_input(
        t("train.latent"), 1, 64, step=1, key=KEYS["latent"], disabled=busy, help=t("train.latent_help")
    )
    beta = st.slider(
        t("train.beta"),
        0.0,
        10.0,
        step=0.1,
        key=KEYS["beta"],
        help=t("train.beta_help") + "\n\n" + t("beta.from_train_help"),
        disabled=busy or models == "ae",
        format=slider_format(),
    )
with c3:
    max_epochs = MAX_EPOCHS_SMALL if DATASETS[dataset].offline else MAX_EPOCHS_LARGE
    clamp(KEYS["epochs"], 1, max_epochs)
    epochs = st.number_input(
        t("train.epochs", max=max_epochs),
        1,
        max_epochs,
        step=1,
        key=KEYS["epochs"],
        disabled=busy,
        help=t("train.epochs_help"),
    )
    lr = st.select_slider(
        t("train.lr"),
        LEARNING_RATES,
        key=KEYS["lr"],
        format_func=labels(LEARNING_RATES, number),
        disabled=busy,
        help=t("train.lr_help"),
    )
    batch = st.select_slider(
        t("train.batch"), BATCH_SIZES, key=KEYS["batch"], disabled=busy, help=t("train.batch_help")
    )
d1, d2, _ = st.columns(3, gap="large")  # a denoising autoencoder: noisy inputs, clean targets
denoise = d1.radio(
    t("train.denoise"),
    DENOISE_CHOICES,
    key=KEYS["noise"],
    horizontal=True,
    disabled=busy,
    help=t("train.denoise_help"),
    format_func=option_labels(DENOISE_CHOICES, "train.denoise"),
)
denoise_level = d2.slider(
    t("train.denoise_level"),
    0.0,
    MAX_DENOISE_LEVEL,
    step=0.05,
    key=KEYS["noise_level"],
    help=t("train.denoise_level_help"),
    disabled=busy or denoise == "none",
    format=slider_format(),
)

b1, b2, _ = st.columns([1, 1, 4])
start = b1.button(t("train.start"), type="primary", icon=":material/play_arrow:", disabled=busy, key="train_start")
stop = b2.button(t("train.stop"), icon=":material/stop:", disabled=not busy, key="train_stop")

if stop and run is not None:
    run.stop()
if start and not busy:
    try:
        sizes = tuple(int(v) for v in widths.split("-"))
        config = ModelConfig(
            kind="vae",
            arch=arch,
            image_shape=DATASETS[dataset].image_shape,
            latent_dim=int(latent),
            **({"hidden_dims": sizes} if arch == "mlp" else {"conv_channels": sizes}),
        )
        settings = TrainSettings(
            epochs=int(epochs),
            batch_size=int(batch),
            lr=float(lr),
            beta=float(beta),
            corruption=None if denoise == "none" else denoise,
            corruption_level=0.0 if denoise == "none" else float(denoise_level),
        )
        if not DATASETS[dataset].offline:
            with st.spinner(t("train.loading", dataset=dataset_label(dataset))):
                load_dataset(dataset)  # fail here, with the data set's own explanation
    except ValueError as exc:
        st.error(t("train.invalid", detail=plain(str(exc))))
    except DatasetUnavailable as exc:
        st.error(t("error.dataset", detail=plain(str(exc))))
    else:
        kinds = MODEL_CHOICES[models]
        start_run(
            dataset=dataset,
            kinds=kinds,
            config=config,
            settings=settings,
            labels={k: f"{k}-{dataset}-{int(latent)}d{'' if denoise == 'none' else '-denoising'}" for k in kinds},
        )
        st.rerun()

# --- progress ---------------------------------------------------------------------------------
# After a fragment run Streamlit holds the values of widgets outside the fragment only in the
# browser: copy the settings aside now, or a student who leaves during a training loses them.
remember_widget_values()
st.divider()
if run is None:
    st.info(t("train.idle"))
else:
    polling = not run.registered
    st.fragment(live_progress, run_every=POLL_SECONDS if polling else None)(run, polling)
if not busy:  # the pair just trained, or any pair whose files kept how its latent space formed
    st.divider()
    replay_section(run)

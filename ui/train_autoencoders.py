"""The Train page's pieces: its settings for an AE and a VAE (their choices, defaults, widgets and what a
run is built from), and the view of a run's models, polled in a fragment while they train.

The page itself picks the family, starts or stops a run, and places this view and the replay of
`ui.forming` under them; a GAN's or a diffusion model's settings and view are `ui.train_generative`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from vae_core import NOISE_KINDS, ModelConfig, TrainSettings
from vae_core.autoencoder_pipeline import recipe_for
from vae_core.data import dataset_info
from vae_core.evaluation import ACTIVE_UNIT_NATS, collapsed_dimensions, posterior_collapse
from vae_core.training_jobs import IDLE_TIMEOUT_S, MAX_CONCURRENT_MODELS, TrainingJob, TrainingProgress, running_models

from .figures import LossSeries, loss_curves
from .forming import show_live_codes
from .images import enlarge, png_data_url
from .layout import fragment_slots
from .navigation import PAGE_BY_NAME
from .own_images import training_datasets
from .picker import current_catalog, select_pair
from .session_training import TrainingRun, register_finished_models
from .state import clamp, default
from .style import show_chart
from .texts import (
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
    t,
)
from .widgets import decimal_slider

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


# --- the settings -------------------------------------------------------------------------------


def mlp_widths(dataset: str) -> str:
    return "-".join(str(n) for n in recipe_for(dataset).hidden_dims)


def max_epochs(dataset: str) -> int:
    return MAX_EPOCHS_SMALL if dataset_info(dataset).offline else MAX_EPOCHS_LARGE


def use_dataset_defaults() -> None:
    """A new data set brings its own layer sizes, epochs, learning rate and batch size: 8×8 digits
    need far smaller layers than MNIST and many more epochs, or their VAE collapses."""
    recipe = recipe_for(st.session_state[KEYS["dataset"]])
    if st.session_state.get(KEYS["arch"], "mlp") == "mlp":
        st.session_state[KEYS["widths"]] = mlp_widths(st.session_state[KEYS["dataset"]])
    st.session_state[KEYS["epochs"]] = recipe.epochs
    st.session_state[KEYS["lr"]] = recipe.lr
    st.session_state[KEYS["batch"]] = recipe.batch_size


def setting_defaults() -> None:
    """Every setting's starting value (the chosen data set's recipe where it has one), a link's value
    where it fits, and the epochs kept within what the data set allows."""
    default(KEYS["dataset"], "mnist", training_datasets())
    default(KEYS["models"], "both", list(MODEL_CHOICES))
    default(KEYS["arch"], "mlp", list(WIDTHS))
    default(KEYS["latent"], 2)
    default(KEYS["beta"], 1.0)
    dataset, arch = st.session_state[KEYS["dataset"]], st.session_state[KEYS["arch"]]
    recipe = recipe_for(dataset)  # the chosen data set's settings (vae_core.autoencoder_pipeline)
    default(KEYS["epochs"], recipe.epochs)
    default(KEYS["lr"], recipe.lr, LEARNING_RATES)
    default(KEYS["batch"], recipe.batch_size, BATCH_SIZES)
    default(KEYS["noise"], "none", DENOISE_CHOICES)
    default(KEYS["noise_level"], DEFAULT_DENOISE_LEVEL, low=0.0, high=MAX_DENOISE_LEVEL)
    default(KEYS["widths"], mlp_widths(dataset) if arch == "mlp" else WIDTHS[arch][0], WIDTHS[arch])
    clamp(KEYS["epochs"], 1, max_epochs(dataset))


@dataclass(frozen=True)
class TrainChoice:
    """What the widgets hold when Start is pressed: the run it describes (numbers as the widgets return them)."""

    dataset: str
    models: str
    arch: str
    widths: str
    latent: int
    beta: float
    epochs: int
    lr: float
    batch: int
    noise: str  # "none" or one of NOISE_KINDS
    noise_level: float

    @property
    def kinds(self) -> list[str]:
        return MODEL_CHOICES[self.models]

    def model_config(self) -> ModelConfig:
        """The configuration both models share (`kind` is set per job); ValueError if it is not one."""
        sizes = tuple(int(v) for v in self.widths.split("-"))
        return ModelConfig(
            kind="vae",
            arch=self.arch,
            image_shape=dataset_info(self.dataset).image_shape,
            latent_dim=int(self.latent),
            **({"hidden_dims": sizes} if self.arch == "mlp" else {"conv_channels": sizes}),
        )

    def train_settings(self) -> TrainSettings:
        """ValueError if the settings are not a run's."""
        return TrainSettings(
            epochs=int(self.epochs),
            batch_size=int(self.batch),
            lr=float(self.lr),
            beta=float(self.beta),
            corruption=None if self.noise == "none" else self.noise,
            corruption_level=0.0 if self.noise == "none" else float(self.noise_level),
        )

    def labels(self) -> dict[str, str]:
        """Each model's label, the start of its file's name."""
        suffix = "" if self.noise == "none" else "-denoising"
        return {k: f"{k}-{self.dataset}-{int(self.latent)}d{suffix}" for k in self.kinds}


def latent_settings(busy: bool) -> TrainChoice:
    """The AE and VAE's settings in three columns, and a denoising row under them; what they hold is the
    run that Start describes. `busy`: a run is going, so they are shown but cannot change."""
    datasets = training_datasets()
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
        widths = st.selectbox(
            t(f"train.widths.{arch}"),
            WIDTHS[arch],
            key=KEYS["widths"],
            disabled=busy,
            help=t(f"train.widths.{arch}_help"),
        )
        latent = st.number_input(
            t("train.latent"), 1, 64, step=1, key=KEYS["latent"], disabled=busy, help=t("train.latent_help")
        )
        beta = decimal_slider(
            t("train.beta"),
            0.0,
            10.0,
            0.1,
            key=KEYS["beta"],
            help=t("train.beta_help") + "\n\n" + t("beta.from_train_help"),
            disabled=busy or models == "ae",
        )
    with c3:
        most_epochs = max_epochs(dataset)
        epochs = st.number_input(
            t("train.epochs", max=most_epochs),
            1,
            most_epochs,
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
    denoise_level = decimal_slider(
        t("train.denoise_level"),
        0.0,
        MAX_DENOISE_LEVEL,
        0.05,
        key=KEYS["noise_level"],
        place=d2,
        help=t("train.denoise_level_help"),
        disabled=busy or denoise == "none",
    )
    return TrainChoice(dataset, models, arch, widths, latent, beta, epochs, lr, batch, denoise, denoise_level)


# --- a run's models -----------------------------------------------------------------------------


def model_label(run: TrainingRun, kind: str) -> str:
    key = "train.model_label" if run.settings.corruption is None else "train.model_label_denoising"
    return t(key, model=kind_label(kind), d=run.config.latent_dim, dataset=dataset_label(run.dataset))


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


def status_line(name: str, job: TrainingJob, snap: TrainingProgress, result: Callable[[], str]) -> None:
    """Queued, a progress bar with time left, or how it ended (`result()`: what a finished model scored)."""
    if snap.status == "queued":
        place = job.place
        st.info(
            t("train.status.queued", model=name, place=place, running=running_models(), max=MAX_CONCURRENT_MODELS),
            icon=":material/hourglass_top:",
        )
    elif snap.status == "running" and job.stopping:
        st.progress(snap.fraction_done, text=t("train.status.stopping", model=name, epoch=max(snap.epoch, 1)))
    elif snap.starting:  # the child process is still starting: no epoch begun, nothing to estimate
        st.progress(0.0, text=t("train.status.starting", model=name))
    elif snap.status == "running":
        left = duration(snap.seconds_left) if snap.seconds_left is not None else "…"
        st.progress(
            snap.fraction_done,
            text=t("train.status.running", model=name, epoch=max(snap.epoch, 1), epochs=snap.epochs, left=left),
        )
    elif snap.status == "done":
        st.success(
            t(
                "train.status.done",
                model=name,
                file=Path(snap.checkpoint_path or "").name,
                seconds=duration(snap.elapsed),
                result=result(),
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


def dimension_names(dims: list[int]) -> str:
    """z1, z2, z4 (0-based indices, named as the β page's charts name them), in the language's list style."""
    return t("number.list_separator").join(f"z{d + 1}" for d in dims)


def collapse_warning(name: str, snap: TrainingProgress, latent_dim: int) -> str | None:
    """What a saved VAE's figures say about posterior collapse: the whole model's (it barely uses its
    code), else the dimensions that carry nothing when some but not all do; None for a healthy one."""
    if not snap.checkpoint_path:
        return None
    m = snap.metrics
    if posterior_collapse(m):
        active = m.get("active_units", "?")
        return t("train.collapse", model=name, kl=decimal(m["kl"], 2), active=active, dims=latent_dim)
    collapsed = collapsed_dimensions(snap.kl_per_dim)
    if not collapsed or len(collapsed) >= latent_dim:
        return None
    used = [d for d in range(latent_dim) if d not in collapsed]
    return t(
        "train.collapse_dims",
        model=name,
        count=len(collapsed),
        dims=latent_dim,
        threshold=number(ACTIVE_UNIT_NATS),
        collapsed=dimension_names(collapsed),
        active=dimension_names(used),
    )


def show_status(run: TrainingRun, kind: str, snap: TrainingProgress) -> None:
    """One line per model: queued, a progress bar with time left, or how it ended."""
    name = model_label(run, kind)
    status_line(name, run.jobs[kind], snap, lambda: result_text(run, snap))
    warning = collapse_warning(name, snap, run.config.latent_dim)
    if warning is not None:
        st.warning(warning, icon=":material/warning:")
        st.page_link(PAGE_BY_NAME["beta"].path, label=t("beta.from_train"), icon=PAGE_BY_NAME["beta"].icon)


def explore(run: TrainingRun) -> None:
    """A button's callback: choose the run's models in the picker, then go and look at them."""
    pair = current_catalog().pair_of_run(run.run_id)
    if pair is not None:
        select_pair(pair)


def live_progress(run: TrainingRun, polling: bool) -> None:
    """Status, curves and test reconstructions; the page runs it as a fragment, twice a second while training."""
    snapshots = run.snapshots()
    status, curves, codes, previews, ending = fragment_slots(5)
    with status:
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
        with curves:
            show_chart(fig, key="train_curves")
    if not all(s.finished for s in snapshots.values()):  # afterwards the replay below takes over
        with codes:
            show_live_codes(run.run_id, snapshots)
    if any(s.preview is not None for s in snapshots.values()):
        previews.markdown(f"**{t('train.preview_title')}**")
        # One column per model from the first picture on, so that a picture never changes column.
        for column, (kind, snap) in zip(previews.columns(len(snapshots)), snapshots.items(), strict=True):
            if snap.preview is not None:
                column.image(
                    png_data_url(enlarge(snap.preview, 480)),
                    width="stretch",
                    caption=t("train.preview", model=kind_label(kind), epoch=len(snap.epoch_rows)),
                    alt=t("alt.train.preview", model=kind_label(kind)),
                )
    if all(s.finished for s in snapshots.values()):
        # Registered and offered here, inside the fragment, so the way to the new models never
        # waits on a full rerun (under a class's load, one was seen not to come).
        register_finished_models()
        if any(s.checkpoint_path for s in snapshots.values()) and ending.button(
            t("train.explore"), icon=":material/arrow_forward:", on_click=explore, args=(run,), key="train_explore"
        ):
            st.switch_page(PAGE_BY_NAME["latent_grid"].path)
        if polling:
            st.rerun()  # a full rerun: polling stops and the controls come back

"""Train: an AE, a VAE, or both with identical settings, or a GAN or a diffusion model, trained in child
processes and watched live."""

from ui.shell import page_setup

page_setup("train", formulas=["elbo"])

import streamlit as st

from ui.forming import replay_section
from ui.state import remember_widget_values
from ui.texts import dataset_description, dataset_label, labels, number, option_labels, plain, slider_format, t
from ui.train_generative import LATENT, family_choice, generative_progress, live_settings, start_live_run
from ui.train_views import (
    BATCH_SIZES,
    DENOISE_CHOICES,
    KEYS,
    LEARNING_RATES,
    MAX_DENOISE_LEVEL,
    MODEL_CHOICES,
    POLL_SECONDS,
    WIDTHS,
    TrainChoice,
    live_progress,
    max_epochs,
    setting_defaults,
    use_dataset_defaults,
)
from ui.training import current_run, start_run
from vae_core import DATASETS, DatasetUnavailable, load_dataset

run = current_run()
busy = run is not None and not run.finished

# --- settings ---------------------------------------------------------------------------------
setting_defaults()
family = family_choice(busy)
if family == LATENT:
    datasets = list(DATASETS)
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
else:
    live = live_settings(family, busy)

b1, b2, _ = st.columns([1, 1, 4])
start = b1.button(t("train.start"), type="primary", icon=":material/play_arrow:", disabled=busy, key="train_start")
stop = b2.button(t("train.stop"), icon=":material/stop:", disabled=not busy, key="train_stop")

# --- start and stop ---------------------------------------------------------------------------
if stop and run is not None:
    run.stop()
if start and not busy and family != LATENT:
    try:
        start_live_run(live)
    except ValueError as exc:
        st.error(t("train.invalid", detail=plain(str(exc))))
    else:
        st.rerun()
if start and not busy and family == LATENT:
    choice = TrainChoice(dataset, models, arch, widths, latent, beta, epochs, lr, batch, denoise, denoise_level)
    try:
        config, settings = choice.model_config(), choice.train_settings()
        if not DATASETS[dataset].offline:
            with st.spinner(t("train.loading", dataset=dataset_label(dataset))):
                load_dataset(dataset)  # fail here, with the data set's own explanation
    except ValueError as exc:
        st.error(t("train.invalid", detail=plain(str(exc))))
    except DatasetUnavailable as exc:
        st.error(t("error.dataset", detail=plain(str(exc))))
    else:
        start_run(dataset=dataset, kinds=choice.kinds, config=config, settings=settings, labels=choice.labels())
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
    view = generative_progress if run.generative else live_progress
    st.fragment(view, run_every=POLL_SECONDS if polling else None)(run, polling)
if not busy and family == LATENT:  # the pair just trained, or any pair whose files kept how its latent space formed
    st.divider()
    replay_section(run)

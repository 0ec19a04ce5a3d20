"""Train: an AE, a VAE, or both with identical settings, or a GAN or a diffusion model, trained in child
processes and watched live."""

from ui.shell import page_setup

page_setup("train", formulas=["elbo"])

import streamlit as st

from ui.forming import replay_section
from ui.session_training import current_run, start_run
from ui.state import remember_widget_values
from ui.texts import dataset_label, plain, t
from ui.train_autoencoders import POLL_SECONDS, latent_settings, live_progress, setting_defaults
from ui.train_generative import LATENT, family_choice, generative_progress, live_settings, start_live_run
from vae_core import DatasetUnavailable, load_dataset
from vae_core.data import dataset_info

run = current_run()
busy = run is not None and not run.finished

# --- settings ---------------------------------------------------------------------------------
setting_defaults()
family = family_choice(busy)
if family == LATENT:
    choice = latent_settings(busy)
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
    try:
        config, settings = choice.model_config(), choice.train_settings()
        if not dataset_info(choice.dataset).offline:
            with st.spinner(t("train.loading", dataset=dataset_label(choice.dataset))):
                load_dataset(choice.dataset)  # fail here, with the data set's own explanation
    except ValueError as exc:
        st.error(t("train.invalid", detail=plain(str(exc))))
    except DatasetUnavailable as exc:
        st.error(t("error.dataset", detail=plain(str(exc))))
    else:
        start_run(dataset=choice.dataset, kinds=choice.kinds, config=config, settings=settings, labels=choice.labels())
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

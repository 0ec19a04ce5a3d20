"""β and posterior collapse: a ladder of VAEs that differ only in the weight of their KL term."""

from ui.shell import page_setup

page_setup("beta", formulas=["elbo", "kl"])

import streamlit as st

from ui.beta_views import kl_range, load_ladder, minus, nats, show_problem
from ui.compute import prior_samples_picture, reconstructions_picture, traversal_picture, validation_set
from ui.figures import kl_bars
from ui.state import default
from ui.style import show_chart
from ui.texts import class_label, decimal, labels, number, plot_separators, t
from ui.widgets import bump
from vae_core.data import one_image_per_class
from vae_core.evaluation import ACTIVE_UNIT_NATS, most_informative, posterior_collapse

SEED_KEY, START_KEY, ROWS_KEY = "keep.beta_seed", "keep.beta_start", "keep.beta_rows"
IMAGES = 8  # validation images reconstructed by every VAE, of as many classes
MAX_SEED = 10_000
MAX_ROWS, DEFAULT_ROWS = 8, 5
STEPS, EXTENT = 7, 3.0  # the traversal: 7 values from −3 to +3, the prior's ±3σ
PRIOR_SAMPLES = 16

# --- the ladder ---------------------------------------------------------------------------------
rungs = load_ladder()
shown = [r for r in rungs if r.model is not None and r.figures is not None]
if not shown:
    for rung in rungs:
        show_problem(rung)
    st.warning(t("beta.none"))
    st.stop()
reference = shown[0].model
assert reference is not None
validation = validation_set(reference.dataset)

# --- controls -----------------------------------------------------------------------------------
default(SEED_KEY, 0, low=0, high=MAX_SEED)
seed = int(st.session_state[SEED_KEY])  # of the images and of the prior's samples
images = one_image_per_class(validation.labels, IMAGES, seed=seed)
positions = list(range(len(images)))
image_classes = [class_label(validation.class_names[validation.labels[i]]) for i in images]
default(START_KEY, 0, positions)
default(ROWS_KEY, DEFAULT_ROWS, low=1, high=MAX_ROWS)
c1, c2, c3 = st.columns([1, 2, 2], vertical_alignment="bottom")
c1.button(
    t("beta.other_images"),
    icon=":material/casino:",
    on_click=bump,
    args=(SEED_KEY,),
    help=t("beta.other_images_help", n=len(images)),
    key="beta_other_images",
)
start = c2.selectbox(
    t("beta.start"),
    positions,
    key=START_KEY,
    help=t("beta.start_help"),
    format_func=labels(positions, lambda p: t("beta.start_option", n=p + 1, label=image_classes[p])),
)
rows = c3.slider(t("beta.rows"), 1, MAX_ROWS, step=1, key=ROWS_KEY, help=t("beta.rows_help"))
st.markdown(t("beta.look_for"))

kl_axis = kl_range(shown)  # one axis for the bar charts, so that their bars compare by length
threshold = number(ACTIVE_UNIT_NATS)

# --- one column per β: on a phone the columns stack, each β's heading over its own pictures -------
for position, (column, rung) in enumerate(zip(st.columns(len(rungs), gap="medium"), rungs, strict=True)):
    with column.container(key=f"beta_rung_{position}"):
        beta_text = number(rung.beta)
        st.subheader(t("beta.heading", beta=beta_text))
        if rung.model is None or rung.figures is None:
            show_problem(rung)
            continue
        model, figures = rung.model, rung.figures
        trained = model.info.train_settings.get("beta")
        if isinstance(trained, (int, float)) and trained != rung.beta:
            st.caption(t("beta.other_beta", trained=number(trained), beta=beta_text))
        kl_per_dim = figures.kl_per_dim
        assert kl_per_dim is not None and figures.active_units is not None and figures.elbo is not None
        st.metric(
            t("beta.active"),
            t("beta.active_value", n=figures.active_units, d=model.latent_dim),
            help=t("beta.active_help", threshold=threshold),
        )
        st.markdown(
            t("beta.figures", recon=decimal(figures.recon), kl=decimal(figures.kl), elbo=minus(decimal(figures.elbo)))
        )
        st.caption(t("beta.figures_caption", n=figures.n_images))

        st.markdown(f"**{t('beta.kl_title', beta=beta_text)}**")
        fig = kl_bars(
            kl_per_dim,
            threshold=ACTIVE_UNIT_NATS,
            x_range=kl_axis,
            x_title=t("beta.kl_axis"),
            hover=t("beta.kl_hover", dim="{dim}", kl="{kl}"),
            separators=plot_separators(),
        )
        show_chart(fig, key=f"beta_kl_{position}")
        st.caption(t("beta.kl_caption", threshold=threshold))

        st.markdown(f"**{t('beta.recon_title', beta=beta_text)}**")
        st.image(
            reconstructions_picture(model, tuple(images)),
            width="stretch",
            caption=t("beta.recon_caption"),
            alt=t("alt.beta.recon", beta=beta_text),
        )

        st.markdown(f"**{t('beta.traversal_title', beta=beta_text)}**")
        order = most_informative(kl_per_dim, rows)
        st.image(
            traversal_picture(model, images[start], tuple(int(d) for d in order), STEPS, EXTENT),
            width="stretch",
            alt=t("alt.beta.traversal", beta=beta_text, rows=len(order), extent=number(EXTENT)),
        )
        row_names = t("number.list_separator").join(
            t("beta.traversal_row", dim=f"z{d + 1}", kl=nats(float(kl_per_dim[d]))) for d in order
        )
        st.caption(t("beta.traversal_caption", rows=row_names, n=start + 1, extent=number(EXTENT)))

        st.markdown(f"**{t('beta.prior_title', beta=beta_text)}**")
        st.image(
            prior_samples_picture(model, PRIOR_SAMPLES, seed),
            width="stretch",
            alt=t("alt.beta.prior", beta=beta_text, n=PRIOR_SAMPLES),
        )

        if posterior_collapse(figures):
            st.warning(
                t("beta.collapse", active=figures.active_units, d=model.latent_dim, kl=decimal(figures.kl, 2)),
                icon=":material/warning:",
            )

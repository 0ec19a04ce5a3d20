"""VAE, GAN, diffusion: the course's closing comparison, each claim measured on the models shown."""

from ui.shell import page_setup

page_setup("generative")

import streamlit as st

from ui.compute import validation_set
from ui.generative_views import (
    CARDS_PER_ROW,
    MAIN,
    PATH_IMAGES,
    compared_models,
    draw_next_seeds,
    encoding,
    figure_cards,
    figures,
    has_figures,
    interpolation_picture,
    inversion_chart,
    latent_grid_picture,
    measured_sampling_ms,
    model_name,
    notes_tables,
    real_figures,
    reverse_path_picture,
    samples_picture,
    share_charts,
    show_missing,
)
from ui.images import picture_url
from ui.state import default, remember_widget_values
from ui.style import show_chart
from ui.texts import decimal, duration, number, option_labels, t
from ui.widgets import bump, image_chooser

SEED_KEY, PATH_KEY, STEPS_KEY = "keep.generative_seed", "keep.generative_path", "keep.generative_steps"
MAX_SEED = 999_999
PATHS = ["spherical", "linear"]

compared = compared_models()
validation = validation_set("mnist")


# --- what the seed draws: its samples, the paths to the next seed, the reverse path -----------------
# One fragment: a new seed or another path reruns these sections only, not the page's tables and
# charts (a class presses these every few seconds; the rest of the page never changes).
@st.fragment
def seed_pictures() -> None:
    # samples from each model, with one seed
    st.header(t("generative.samples"))
    default(SEED_KEY, 0, low=0, high=MAX_SEED)
    seed_col, button_col = st.columns([2, 1], vertical_alignment="bottom")
    seed = int(
        seed_col.number_input(t("generative.seed"), 0, MAX_SEED, step=1, key=SEED_KEY, help=t("generative.seed_help"))
    )
    button_col.button(t("generative.new_samples"), on_click=bump, args=(SEED_KEY,), width="stretch")
    for column, key in zip(st.columns(len(MAIN), gap="medium"), MAIN, strict=True):
        column.container(key=f"model_name_generative_{key}").subheader(model_name(key))
        with column.container(key=f"model_body_generative_{key}"):
            model = compared.get(key)
            if model is None:
                show_missing(key, compared)
                continue
            st.image(
                samples_picture(model, seed), width="stretch", alt=t("alt.generative.samples", model=model_name(key))
            )
            if has_figures(model):
                st.caption(t("generative.sample_caption", fd=decimal(figures(model)["fd"], 0)))
    st.markdown(t("generative.samples_note"))

    # interpolation: from this seed to the next
    st.header(t("generative.paths"))
    default(PATH_KEY, "spherical", PATHS)
    default(STEPS_KEY, PATH_IMAGES[-1], PATH_IMAGES)
    path_col, steps_col = st.columns(2)
    method = path_col.radio(
        t("generative.path"), PATHS, key=PATH_KEY, horizontal=True, format_func=option_labels(PATHS, "generative.path")
    )
    steps = int(
        steps_col.select_slider(
            t("generative.path_steps"), PATH_IMAGES, key=STEPS_KEY, help=t("generative.path_steps_help")
        )
    )
    draw_next_seeds(compared.get("diffusion"), seed, method)  # while the class looks at this seed
    for key in ("vae", "gan", "diffusion"):
        st.subheader(model_name(key))
        if (model := compared.get(key)) is None:
            show_missing(key, compared)
        else:
            st.image(
                interpolation_picture(model, seed, seed + 1, steps, method),
                width="stretch",
                alt=t("alt.generative.path", model=model_name(key), steps=steps),
            )
    st.markdown(t("generative.paths_note"))

    # the diffusion model's reverse path
    st.header(t("generative.reverse"))
    if (diffusion := compared.get("diffusion")) is None:
        show_missing("diffusion", compared)
    else:
        st.image(reverse_path_picture(diffusion, seed), width="stretch", alt=t("alt.generative.reverse"))
        st.markdown(t("generative.reverse_note", steps=diffusion.info.config.sampler_steps))
        st.markdown(t("generative.to_denoising"))
    remember_widget_values()  # a fragment run's values are not kept for the next page by Streamlit


seed_pictures()

# --- measured figures ----------------------------------------------------------------------------
st.header(t("generative.measured"))
real = real_figures()
cards = figure_cards(compared, real)
if cards:
    # One small table per model, four to a row: on a phone they stack, each under its own name.
    for start in range(0, len(cards), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)  # the last row may be short: its extra columns stay empty
        for i, (name, table) in enumerate(cards[start : start + CARDS_PER_ROW]):
            columns[i].container(key=f"figures_name_{start + i}").subheader(name)
            columns[i].table(table)
    st.markdown(t("generative.measured_note"))
    st.subheader(t("generative.shares"))
    charts = share_charts(compared)
    for start in range(0, len(charts), CARDS_PER_ROW):  # laid out as the figure cards above
        columns = st.columns(CARDS_PER_ROW)
        for i, (name, chart) in enumerate(charts[start : start + CARDS_PER_ROW]):
            columns[i].container(key=f"shares_name_{start + i}").markdown(f"**{name}**")
            with columns[i]:
                show_chart(chart, key=f"generative_shares_{start + i}")
    st.caption(t("generative.shares_note"))
else:
    st.info(t("generative.no_figures"))
with st.expander(t("generative.time_here")):
    if st.button(t("generative.time_button"), key="generative_time"):
        for key in MAIN:
            if (model := compared.get(key)) is not None:
                ms = measured_sampling_ms(model, 16)
                st.markdown(t("generative.time_line", model=model_name(key), ms=decimal(ms, 2)))

# --- the 2-D latent spaces --------------------------------------------------------------------------
st.header(t("generative.grids"))
for column, key in zip(st.columns(2, gap="medium"), ("vae_2d", "gan_2d"), strict=True):
    column.container(key=f"model_name_generative_grid_{key}").subheader(model_name(key))
    with column.container(key=f"model_body_generative_grid_{key}"):
        if (model := compared.get(key)) is None:
            show_missing(key, compared)
        else:
            st.image(latent_grid_picture(model), width="stretch", alt=t("alt.generative.grid", model=model_name(key)))
st.markdown(t("generative.grids_note"))

# --- encode this digit -------------------------------------------------------------------------------
st.header(t("generative.encode"))
index = image_chooser(validation, "generative", label=t("generative.encode_digit"), initial_class=7)
image = validation.images[index]
st.image(picture_url(image[None], min_side=140), caption=t("generative.original"), alt=t("alt.generative.original"))
if st.toggle(t("generative.encode_run"), key="keep.generative_encode", help=t("generative.encode_help")):
    for column, key in zip(st.columns(3, gap="medium"), ("vae", "gan", "diffusion"), strict=True):
        column.container(key=f"model_name_generative_encode_{key}").subheader(model_name(key))
        with column.container(key=f"model_body_generative_encode_{key}"):
            if (model := compared.get(key)) is None:
                show_missing(key, compared)
                continue
            result = encoding(model, image)
            st.image(
                picture_url(result.reconstruction[None], min_side=140),
                width="content",
                alt=t("alt.generative.encoded", model=model_name(key)),
            )
            st.markdown(
                t(
                    f"generative.encode_result.{model.kind}",
                    time=duration(result.seconds),
                    error=number(result.error, ".4f"),
                    steps=result.steps,
                )
            )
            if result.errors:
                show_chart(inversion_chart(result.errors), key=f"generative_inversion_{key}")

# --- the course notes' table, with the figures behind each row -----------------------------------
st.header(t("generative.notes_table"))
st.markdown(t("generative.notes_table_intro"))
for claim, table in notes_tables(compared, real):
    st.subheader(claim)
    st.table(table)

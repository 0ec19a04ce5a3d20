"""Latent Lab: a teaching app for autoencoders and variational autoencoders.

    streamlit run app.py

This file sets up what every page shares (language, navigation, the session's trained models)
and holds the Home page; the other pages are short scripts in pages/ built on `ui` and `vae_core`.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

# One CPU thread per torch operation, set before torch loads (an administrator's setting wins).
# Page reruns and training jobs already run side by side; letting each operation also spread over
# all cores makes the threads wait on each other: on two busy cores, decoding a 15×15 grid took
# 72 ms with two threads and 2.6 ms with one, and an MNIST training epoch 16 s instead of 1.3 s.
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # pages import `ui` and `vae_core` whatever the working directory
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.layout import formula  # noqa: E402
from ui.shell import mark_entry_point  # noqa: E402
from ui.state import default, keep_widget_values, remember_widget_values  # noqa: E402
from ui.texts import LANGUAGE_KEY, LANGUAGES, t  # noqa: E402
from ui.training import register_finished_models  # noqa: E402

# (page file, text key of its title, icon); Home is the function below.
PAGE_FILES: list[tuple[str, str, str]] = [
    ("pages/train.py", "nav.train", ":material/model_training:"),
    ("pages/latent_grid.py", "nav.grid", ":material/grid_on:"),
    ("pages/latent_sliders.py", "nav.sliders", ":material/tune:"),
    ("pages/interpolation.py", "nav.interpolation", ":material/linear_scale:"),
    ("pages/ae_vs_vae.py", "nav.compare", ":material/compare:"),
    ("pages/uses.py", "nav.uses", ":material/lightbulb:"),
]


def _diagram(variational: bool) -> str:
    """Graphviz source of the encoder → code → decoder picture (drawn in the browser, offline)."""
    node = (
        'node [shape=box, style="rounded,filled", fillcolor="#F3F4F6", color="#111111", '
        'fontname="Helvetica", fontsize=18, penwidth=2];'
    )
    x = f'x [label="x\\n{t("home.diagram.image")}", fillcolor="#FFFFFF"];'
    enc = f'enc [label="{t("home.diagram.encoder")}", fillcolor="#FDE4D6"];'
    dec = f'dec [label="{t("home.diagram.decoder")}", fillcolor="#D6E6F5"];'
    out = f'xhat [label="x̂\\n{t("home.diagram.reconstruction")}", fillcolor="#FFFFFF"];'
    if not variational:
        middle = f'z [label="z\\n{t("home.diagram.code")}", shape=circle, fillcolor="#FFF3C4"];'
        edges = "x -> enc -> z -> dec -> xhat;"
    else:
        middle = (
            'mu [label="μ", shape=circle, fillcolor="#FFF3C4"]; sigma [label="σ", shape=circle, fillcolor="#FFF3C4"];'
            f'eps [label="ε ~ 𝒩(0, I)\\n{t("home.diagram.noise")}", shape=ellipse, style="dashed", '
            'fillcolor="#FFFFFF"];'
            'z [label="z = μ + σ·ε", shape=box, fillcolor="#FFF3C4"];'
        )
        edges = "x -> enc; enc -> mu; enc -> sigma; mu -> z; sigma -> z; eps -> z; z -> dec -> xhat;"
    return f"digraph {{ rankdir=LR; bgcolor=transparent; {node} {x} {enc} {middle} {dec} {out} {edges} }}"


def home() -> None:
    """Home: what an autoencoder and a VAE are, the picture of both, and where to go next."""
    st.title(t("home.title"))
    st.markdown(t("home.intro"))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("model.ae.long"))
        st.markdown(t("home.ae"))
        st.graphviz_chart(_diagram(variational=False), width="stretch")
        st.latex(formula("ae"))
    with right:
        st.subheader(t("model.vae.long"))
        st.markdown(t("home.vae"))
        st.graphviz_chart(_diagram(variational=True), width="stretch")
        st.latex(formula("reparam"))
    st.markdown(t("home.elbo"))
    st.latex(formula("elbo"))
    st.latex(formula("kl"))
    st.subheader(t("home.next"))
    for path, title_key, icon in PAGE_FILES:
        st.page_link(path, label=f"**{t(title_key)}** — {t(title_key + '.blurb')}", icon=icon)
    st.caption(t("home.data_credit"))


def main() -> None:
    keep_widget_values()
    default(LANGUAGE_KEY, "en", list(LANGUAGES))
    st.set_page_config(page_title="Latent Lab", page_icon="🧪", layout="wide")
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), key=LANGUAGE_KEY, format_func=LANGUAGES.__getitem__)
    register_finished_models()
    pages = [st.Page(home, title=t("nav.home"), icon=":material/home:", default=True)]
    pages += [st.Page(path, title=t(key), icon=icon) for path, key, icon in PAGE_FILES]
    page = st.navigation(pages)
    mark_entry_point()
    try:
        page.run()
    except Exception as exc:  # a bug or bad input must not show a raw traceback to a class
        traceback.print_exc()
        st.error(t("error.unexpected", detail=f"{type(exc).__name__}: {exc}"))
    finally:  # also after st.stop() and st.rerun(): what the page set is remembered before a fragment runs
        remember_widget_values()


# Streamlit runs this file as `__main__`. A training job's child process (vae_core/jobs.py, started
# with "spawn") imports the parent's main module again under another name: it must not draw the app.
if __name__ == "__main__":
    main()

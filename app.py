"""Latent Lab: a teaching app for autoencoders and variational autoencoders.

    streamlit run app.py

This file is the Home page: what an autoencoder and a VAE are, the picture of both, and where to
go next. The other pages are short scripts in pages/, built on `ui` and `vae_core`; each starts
with `ui.shell.page_setup`, as this one does.
"""

import streamlit as st

from ui.formulas import formula
from ui.navigation import PAGES
from ui.shell import page_setup
from ui.texts import t


def diagram(*, variational: bool) -> str:
    """Graphviz source of the encoder → code → decoder picture (drawn in the browser, offline).

    Top to bottom, so that it fits a half-page column (and a phone) at its own size: drawn left to
    right, it was shrunk to fit and its words came out 5 to 7 px tall on a 1400 px screen."""
    node = (
        'node [shape=box, style="rounded,filled", fillcolor="#F3F4F6", color="#111111", '
        'fontname="Helvetica", fontsize=16, penwidth=2, margin="0.15,0.06"];'
        "edge [penwidth=2, arrowsize=0.8];"
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
    graph = "rankdir=TB; bgcolor=transparent; nodesep=0.25; ranksep=0.3;"
    return f"digraph {{ {graph} {node} {x} {enc} {middle} {dec} {out} {edges} }}"


# A training's child process (vae_core/training_jobs.py, started with "spawn") imports the server's main
# module, this file, again under another name: it must not draw the page.
if __name__ == "__main__":
    page_setup("home")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("model.ae.long"))
        st.markdown(t("home.ae"))
        st.container(key="diagram_ae").graphviz_chart(diagram(variational=False), width="content")
        st.latex(formula("ae"))
    with right:
        st.subheader(t("model.vae.long"))
        st.markdown(t("home.vae"))
        st.container(key="diagram_vae").graphviz_chart(diagram(variational=True), width="content")
        st.latex(formula("reparam"))
    st.markdown(t("home.elbo"))
    st.latex(formula("elbo"))
    st.latex(formula("kl"))
    st.subheader(t("home.next"))
    for page in PAGES[1:]:
        st.page_link(page.path, label=f"**{t(page.nav_key)}** — {t(page.nav_key + '.blurb')}", icon=page.icon)
    st.caption(t("home.data_credit"))

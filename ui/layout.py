"""Page furniture shared by every page: the opening explanation with its formulas, and the AE | VAE columns."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from vae_core import Projection

from .catalog import LoadedModel
from .picker import PickedModels
from .texts import kind_label, t


def formula(name: str) -> str:
    """LaTeX of the formulas the pages explain; the words under the braces follow the language."""
    recon, reg = t("formula.reconstruction"), t("formula.regularisation")
    formulas = {
        "elbo": (
            r"\log p_\theta(x)\;\ge\;\underbrace{\mathbb{E}_{q_\phi(z\mid x)}\big[\log p_\theta(x\mid z)\big]}_{\text{"
            + recon + r"}}\;-\;\beta\,\underbrace{\mathrm{KL}\big(q_\phi(z\mid x)\,\|\,\mathcal{N}(0, I)\big)}_{\text{"
            + reg + "}}"
        ),
        "ae": r"\min_{\phi,\theta}\;-\log p_\theta\big(x \mid z = f_\phi(x)\big)",
        "reparam": r"z = \mu_\phi(x) + \sigma_\phi(x)\odot\varepsilon,\qquad \varepsilon\sim\mathcal{N}(0, I)",
        "kl": (
            r"\mathrm{KL}\big(\mathcal{N}(\mu,\operatorname{diag}\sigma^2)\,\|\,\mathcal{N}(0, I)\big)"
            r"=\tfrac12\sum_{j=1}^{d}\big(\mu_j^2+\sigma_j^2-\log\sigma_j^2-1\big)"
        ),
        "grid": r"z = (z_a, z_b, 0, \dots, 0),\qquad z_a, z_b \in \{\Phi^{-1}(p_1), \dots, \Phi^{-1}(p_N)\}",
        "decode": r"\hat x = \operatorname{sigmoid}\big(g_\theta(z)\big)",
        "interpolation": (
            r"z_t=(1-t)\,z_0+t\,z_1 \qquad\text{"
            + t("formula.or")
            + r"}\qquad z_t=\frac{\sin((1-t)\Omega)}{\sin\Omega}\,z_0+\frac{\sin(t\Omega)}{\sin\Omega}\,z_1"
        ),
        "prior": r"p(z)=\mathcal{N}(0, I)",
    }
    return formulas[name]


def page_intro(prefix: str, formulas: Sequence[str] = ()) -> None:
    """Title, two or three sentences on what the page shows and why, and the formulas that help."""
    st.title(t(f"{prefix}.title"))
    st.markdown(t(f"{prefix}.intro"))
    for name in formulas:
        st.latex(formula(name))


def model_columns(picked: PickedModels) -> list[tuple[DeltaGenerator, LoadedModel]]:
    """AE on the left, VAE on the right, each headed by its name; a missing member is said so.

    The names sit in a row of their own, so the two pictures below start at the same height even
    when one name wraps onto two lines (the VAE's does on a 1280-pixel screen): side by side,
    the grids are compared tile by tile."""
    present: list[tuple[DeltaGenerator, LoadedModel]] = []
    heads, bodies = st.columns(2, gap="large"), st.columns(2, gap="large")
    for head, body, kind in zip(heads, bodies, ("ae", "vae")):
        head.subheader(t(f"model.{kind}.long"))
        model = picked.member(kind)
        if model is None:
            body.info(t("common.missing_model", kind=kind_label(kind)))
        else:
            present.append((body, model))
    return present


def axis_titles(projection: Projection, dims: tuple[int, int] = (0, 1)) -> tuple[str, str]:
    """'z1', 'z2' for codes shown as they are; 'PC 1 (43 % of variance)' for PCA; 't-SNE 1' for t-SNE."""
    if projection.method == "pca" and projection.explained_variance_ratio is not None:
        first, second = projection.explained_variance_ratio
        return t("plot.pc", n=1, pct=100 * first), t("plot.pc", n=2, pct=100 * second)
    if projection.method == "tsne":
        return "t-SNE 1", "t-SNE 2"
    return f"z{dims[0] + 1}", f"z{dims[1] + 1}"

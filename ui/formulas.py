"""LaTeX of the formulas the pages explain; the words under the braces follow the language.

Kept apart from the text table: LaTeX braces would clash with its {placeholders}. No script sits
inside another script at its default size (half the formula's): on a projector it would be under
14 px, so the φ of the expectation's subscript q_φ is set at first-script size.
"""

from __future__ import annotations

from .texts import t


def formula(name: str) -> str:
    recon, reg = t("formula.reconstruction"), t("formula.regularisation")
    formulas = {
        "elbo": (
            r"\log p_\theta(x)\;\ge\;"
            r"\underbrace{\mathbb{E}_{q_{\scriptstyle\phi}(z\mid x)}\big[\log p_\theta(x\mid z)\big]}_{\text{"
            + recon
            + r"}}\;-\;\beta\,\underbrace{\mathrm{KL}\big(q_\phi(z\mid x)\,\|\,\mathcal{N}(0, I)\big)}_{\text{"
            + reg
            + "}}"
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

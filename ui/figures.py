"""Plotly figures built from numpy arrays; every text on them is passed in already translated.

Styled for a projector: white background, large type, thick lines, colour-blind-safe colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

MODEL_COLORS = {"ae": "#D55E00", "vae": "#0072B2"}  # Okabe–Ito vermillion and blue
CLASS_COLORS = (  # Tableau 10: ten classes told apart on a projector
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
    "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)  # fmt: skip
FONT = {"size": 16, "color": "#111111"}


def _style(fig: go.Figure, *, height: int, legend_title: str = "") -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"title": {"text": legend_title}, "itemsizing": "constant"},
        hoverlabel={"font_size": 15},
    )
    return fig


@dataclass(frozen=True)
class LossSeries:
    """One model's training curves: per-step total loss and its two terms, in nats per image."""

    name: str
    kind: str  # "ae" or "vae": picks the colour
    step: Sequence[float]
    loss: Sequence[float]
    recon: Sequence[float]
    kl: Sequence[float]


def loss_curves(series: list[LossSeries], *, titles: tuple[str, str, str], x_title: str, y_title: str) -> go.Figure:
    """Total loss, reconstruction and KL side by side, one line per model."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.07)
    for s in series:
        for col, values in enumerate((s.loss, s.recon, s.kl), start=1):
            fig.add_trace(
                go.Scatter(x=list(s.step), y=list(values), mode="lines", name=s.name, legendgroup=s.name,
                           showlegend=col == 1, line={"color": MODEL_COLORS.get(s.kind), "width": 3}),
                row=1, col=col,
            )  # fmt: skip
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, col=1)
    fig.update_annotations(font_size=17)
    return _style(fig, height=360)


@dataclass(frozen=True)
class Rectangle:
    x0: float
    y0: float
    x1: float
    y1: float
    name: str


@dataclass(frozen=True)
class Path2D:
    points: np.ndarray  # (S, 2)
    name: str
    start_name: str
    end_name: str


@dataclass(frozen=True)
class Ellipses:
    """Axis-aligned 1-σ ellipses of diagonal Gaussians: centres and radii, (K, 2) each."""

    centers: np.ndarray
    radii: np.ndarray
    name: str


def _ellipse_outline(ellipses: Ellipses, points: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """All ellipses as one polyline, separated by NaN gaps: one trace instead of K shapes."""
    angle = np.linspace(0, 2 * np.pi, points)
    xs = ellipses.centers[:, :1] + ellipses.radii[:, :1] * np.cos(angle)  # (K, points)
    ys = ellipses.centers[:, 1:2] + ellipses.radii[:, 1:2] * np.sin(angle)
    gap = np.full((len(xs), 1), np.nan)
    return np.hstack([xs, gap]).ravel(), np.hstack([ys, gap]).ravel()


def latent_scatter(
    points: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    *,
    x_title: str,
    y_title: str,
    legend_title: str,
    hover_label: str,
    rectangle: Rectangle | None = None,
    path: Path2D | None = None,
    ellipses: Ellipses | None = None,
    highlight: tuple[float, float] | None = None,
    equal_axes: bool = True,
    height: int = 480,
) -> go.Figure:
    """Codes (N, 2) coloured by class; each point carries its validation index as customdata,
    so a click on the chart says which image it is."""
    fig = go.Figure()
    if ellipses is not None:
        ex, ey = _ellipse_outline(ellipses)
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name=ellipses.name, hoverinfo="skip",
                                 line={"color": "rgba(0,0,0,0.45)", "width": 1.5}))  # fmt: skip
    indices = np.arange(len(points))
    for label, name in enumerate(class_names):
        mask = labels == label
        if not mask.any():
            continue
        fig.add_trace(go.Scatter(
            x=points[mask, 0], y=points[mask, 1], mode="markers", name=name, customdata=indices[mask],
            marker={"size": 7, "color": CLASS_COLORS[label % len(CLASS_COLORS)], "opacity": 0.85},
            hovertemplate=f"{hover_label} %{{customdata}} · {name}<extra></extra>",
        ))  # fmt: skip
    if rectangle is not None:
        r = rectangle
        fig.add_trace(go.Scatter(x=[r.x0, r.x1, r.x1, r.x0, r.x0], y=[r.y0, r.y0, r.y1, r.y1, r.y0], mode="lines",
                                 name=r.name, hoverinfo="skip", line={"color": "#111111", "width": 3, "dash": "dash"}))  # fmt: skip
    if path is not None:
        p = path.points
        fig.add_trace(go.Scatter(x=p[:, 0], y=p[:, 1], mode="lines+markers", name=path.name, hoverinfo="skip",
                                 line={"color": "#111111", "width": 3}, marker={"size": 8, "color": "#111111"}))  # fmt: skip
        fig.add_trace(go.Scatter(x=p[[0, -1], 0], y=p[[0, -1], 1], mode="markers+text", hoverinfo="skip",
                                 text=[path.start_name, path.end_name], textposition="top center",
                                 textfont={"size": 18}, showlegend=False,
                                 marker={"size": 16, "color": "#FFFFFF", "line": {"color": "#111111", "width": 3}}))  # fmt: skip
    if highlight is not None:
        fig.add_trace(go.Scatter(x=[highlight[0]], y=[highlight[1]], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker={"size": 20, "symbol": "circle-open", "color": "#111111", "line": {"width": 4}}))  # fmt: skip
    fig.update_xaxes(title_text=x_title, zeroline=True, zerolinecolor="#999999")
    fig.update_yaxes(title_text=y_title, zeroline=True, zerolinecolor="#999999")
    if equal_axes:
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return _style(fig, height=height, legend_title=legend_title)

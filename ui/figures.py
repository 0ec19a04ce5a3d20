"""Plotly figures built from numpy arrays; every text on them is passed in already translated.

Styled for a projector: white background, large dark type, thick lines, colour-blind-safe colours.
Each figure is made in one go from plain dicts, with the style written out instead of a named
template: validating a template costs about 12 ms per figure, adding traces one by one more still,
and these figures are rebuilt on every rerun (the training curves twice a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

MODEL_COLORS = {"ae": "#D55E00", "vae": "#0072B2"}  # Okabe–Ito vermillion and blue
CLASS_COLORS = (  # Tableau 10: ten classes told apart on a projector
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
INK = "#111111"
GRID = "#E3E3E3"


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "standoff": 8},
        "automargin": True,
        "gridcolor": GRID,
        "linecolor": "#888888",
        "zerolinecolor": "#999999",
        "tickfont": {"size": 14},
        **extra,
    }


def _layout(*, height: int, legend_title: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "template": None,
        "font": {"size": 16, "color": INK, "family": '"Source Sans Pro", "Source Sans 3", sans-serif'},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"title": {"text": legend_title}, "itemsizing": "constant"},
        "hoverlabel": {"font": {"size": 15}},
        **extra,
    }


# --- training curves --------------------------------------------------------------------------


@dataclass(frozen=True)
class LossSeries:
    """One model's training curves: per-step total loss and its two terms, in nats per image."""

    name: str
    kind: str  # "ae" or "vae": picks the colour
    step: Sequence[float]
    loss: Sequence[float]
    recon: Sequence[float]
    kl: Sequence[float]


CURVE_POINTS_SHOWN = 400  # per line: redrawn twice a second while training, in every trainer's browser


def loss_curves(series: list[LossSeries], *, titles: tuple[str, str, str], x_title: str, y_title: str) -> go.Figure:
    """Total loss, reconstruction and KL side by side, one line per model (thinned to a few hundred
    points: the chart is resent and redrawn twice a second, and a line has no more pixels anyway)."""
    gap = 0.07
    width = (1 - 2 * gap) / 3
    traces, layout_axes, annotations = [], {}, []
    for col, title in enumerate(titles):
        suffix = "" if col == 0 else str(col + 1)
        start = col * (width + gap)
        layout_axes[f"xaxis{suffix}"] = _axis(x_title, domain=[start, start + width], anchor=f"y{suffix}")
        layout_axes[f"yaxis{suffix}"] = _axis(y_title if col == 0 else "", anchor=f"x{suffix}")
        annotations.append(
            {
                "text": title,
                "x": start + width / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 17},
            }
        )
        for s in series:
            values = (s.loss, s.recon, s.kl)[col]
            every = max(1, -(-len(s.step) // CURVE_POINTS_SHOWN))
            x, y = np.asarray(s.step)[::every], np.asarray(values)[::every]
            if len(x) and x[-1] != s.step[-1]:  # always end at the latest step
                x, y = np.append(x, s.step[-1]), np.append(y, values[-1])
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": y,
                    "mode": "lines",
                    "name": s.name,
                    "legendgroup": s.name,
                    "showlegend": col == 0,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "line": {"color": MODEL_COLORS.get(s.kind), "width": 3},
                }
            )
    return go.Figure(data=traces, layout=_layout(height=360, annotations=annotations, **layout_axes))


# --- latent scatter ---------------------------------------------------------------------------


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
    traces: list[dict[str, Any]] = []
    if ellipses is not None:
        ex, ey = _ellipse_outline(ellipses)
        traces.append(
            {
                "type": "scatter",
                "x": ex,
                "y": ey,
                "mode": "lines",
                "name": ellipses.name,
                "hoverinfo": "skip",
                "line": {"color": "rgba(0,0,0,0.75)", "width": 2},
            }
        )
    indices = np.arange(len(points))
    for label, name in enumerate(class_names):
        mask = labels == label
        if mask.any():
            traces.append(
                {
                    "type": "scatter",
                    "x": points[mask, 0],
                    "y": points[mask, 1],
                    "mode": "markers",
                    "name": name,
                    "customdata": indices[mask],
                    "hovertemplate": f"{hover_label} %{{customdata}} · {name}<extra></extra>",
                    "marker": {"size": 7, "color": CLASS_COLORS[label % len(CLASS_COLORS)], "opacity": 0.85},
                }
            )
    if rectangle is not None:
        r = rectangle
        traces.append(
            {
                "type": "scatter",
                "x": [r.x0, r.x1, r.x1, r.x0, r.x0],
                "y": [r.y0, r.y0, r.y1, r.y1, r.y0],
                "mode": "lines",
                "name": r.name,
                "hoverinfo": "skip",
                "line": {"color": INK, "width": 3, "dash": "dash"},
            }
        )
    if path is not None:
        p = path.points
        traces.append(
            {
                "type": "scatter",
                "x": p[:, 0],
                "y": p[:, 1],
                "mode": "lines+markers",
                "name": path.name,
                "hoverinfo": "skip",
                "line": {"color": INK, "width": 3},
                "marker": {"size": 8, "color": INK},
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": p[[0, -1], 0],
                "y": p[[0, -1], 1],
                "mode": "markers+text",
                "hoverinfo": "skip",
                "showlegend": False,
                "text": [path.start_name, path.end_name],
                "textposition": "top center",
                "textfont": {"size": 18},
                "marker": {"size": 16, "color": "#FFFFFF", "line": {"color": INK, "width": 3}},
            }
        )
    if highlight is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [highlight[0]],
                "y": [highlight[1]],
                "mode": "markers",
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": {"size": 20, "symbol": "circle-open", "color": INK, "line": {"width": 4}},
            }
        )
    y_axis = _axis(y_title, **({"scaleanchor": "x", "scaleratio": 1} if equal_axes else {}))
    return go.Figure(
        data=traces, layout=_layout(height=height, legend_title=legend_title, xaxis=_axis(x_title), yaxis=y_axis)
    )


# --- reconstruction errors --------------------------------------------------------------------


def error_boxes(
    errors: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    *,
    x_title: str,
    y_title: str,
    references: Sequence[tuple[str, float]] = (),
    log_y: bool = True,
    height: int = 420,
) -> go.Figure:
    """Reconstruction error per class as box plots, with dashed lines for the errors of other images.

    A log scale keeps the boxes readable next to errors ten times larger.
    """
    traces = [
        {
            "type": "box",
            "y": errors[labels == label],
            "name": name,
            "boxpoints": "outliers",
            "showlegend": False,
            "marker": {"color": CLASS_COLORS[label % len(CLASS_COLORS)]},
        }
        for label, name in enumerate(class_names)
        if (labels == label).any()
    ]
    shapes, annotations = [], []
    for name, value in references:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": value,
                "y1": value,
                "line": {"dash": "dash", "color": INK, "width": 2},
            }
        )
        # On a log axis an annotation's y is in log10 units, unlike a line's (plotly.js convention).
        annotations.append(
            {
                "xref": "paper",
                "x": 0,
                "yref": "y",
                "y": float(np.log10(value)) if log_y else value,
                "text": name,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 15},
            }
        )
    layout = _layout(
        height=height,
        shapes=shapes,
        annotations=annotations,
        xaxis=_axis(x_title, type="category"),
        yaxis=_axis(y_title, type="log" if log_y else "linear"),
    )
    return go.Figure(data=traces, layout=layout)

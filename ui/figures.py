"""Plotly figures built from numpy arrays; every text on them is passed in already translated.

Styled for a projector: white background, large dark type (no text under 15 px: the smallest is a
tick label), thick lines, colour-blind-safe colours, legends below the plot so that the plotting
area gets the whole width of a half-page column. Numbers follow the user's language through
`separators` (".," in English, ",." in Portuguese), which every builder takes from the page.
Each figure is made in one go from plain dicts, with the style written out instead of a named
template: validating a template costs about 12 ms per figure, adding traces one by one more still,
and these figures are rebuilt on every rerun (the training curves twice a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas  # noqa: F401  (see below)
import plotly.graph_objects as go

from vae_core.latent import ellipse_points

# Plotly imports pandas lazily, on a figure's first serialisation, and takes it from sys.modules even
# while another session's thread is still importing it ("partially initialized module 'pandas' has no
# attribute 'Series'", seen in the classroom test). Imported here, under Python's import lock, once.

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
TICK_SIZE = 15  # pixels: the smallest text on a chart, readable from the back of a classroom
ENGLISH_SEPARATORS = ".,"  # plotly's `separators`: the decimal sign, then the thousands sign
OVERLAY_LEGEND = "legend2"  # plotly's name for a second legend: what is drawn over a scatter's codes


def axis_style(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "standoff": 8},
        "automargin": True,
        "gridcolor": GRID,
        "linecolor": "#888888",
        "zerolinecolor": "#999999",
        "tickfont": {"size": TICK_SIZE},
        **extra,
    }


def chart_layout(
    *, height: int, separators: str, legend_title: str = "", legend_below: bool = False, **extra: Any
) -> dict[str, Any]:
    legend: dict[str, Any] = {"title": {"text": legend_title}, "itemsizing": "constant", "font": {"size": 16}}
    if legend_below:  # in a row under the x axis: the plotting area keeps the column's whole width
        legend |= {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    return {
        "template": None,
        "font": {"size": 16, "color": INK, "family": '"Source Sans Pro", "Source Sans 3", sans-serif'},
        "separators": separators,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": legend,
        "hoverlabel": {"font": {"size": 16}},
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


def _thinned(step: Sequence[float], values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """At most ~CURVE_POINTS_SHOWN points, always ending at the latest step."""
    every = max(1, -(-len(step) // CURVE_POINTS_SHOWN))
    x, y = np.asarray(step)[::every], np.asarray(values)[::every]
    if len(x) and x[-1] != step[-1]:
        x, y = np.append(x, step[-1]), np.append(y, values[-1])
    return x, y


def _panel_axes(titles: Sequence[str], *, x_title: str, y_title: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Axes side by side, one per title, the title above its panel and the y title on the first only."""
    gap = 0.07
    width = (1 - gap * (len(titles) - 1)) / max(len(titles), 1)
    layout_axes: dict[str, Any] = {}
    annotations: list[dict[str, Any]] = []
    for col, title in enumerate(titles):
        suffix = "" if col == 0 else str(col + 1)
        start = col * (width + gap)
        layout_axes[f"xaxis{suffix}"] = axis_style(x_title, domain=[start, start + width], anchor=f"y{suffix}")
        layout_axes[f"yaxis{suffix}"] = axis_style(y_title if col == 0 else "", anchor=f"x{suffix}")
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
    return layout_axes, annotations


def loss_curves(
    series: list[LossSeries],
    *,
    titles: tuple[str, str, str],
    x_title: str,
    y_title: str,
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """Total loss, reconstruction and KL side by side, one line per model (thinned to a few hundred
    points: the chart is resent and redrawn twice a second, and a line has no more pixels anyway)."""
    layout_axes, annotations = _panel_axes(titles, x_title=x_title, y_title=y_title)
    traces = []
    for col in range(len(titles)):
        suffix = "" if col == 0 else str(col + 1)
        for s in series:
            x, y = _thinned(s.step, (s.loss, s.recon, s.kl)[col])
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
    layout = chart_layout(height=360, separators=separators, annotations=annotations, **layout_axes)
    return go.Figure(data=traces, layout=layout)


@dataclass(frozen=True)
class Curve:
    """One panel's line: a GAN's generator or discriminator loss, a diffusion model's loss."""

    title: str
    step: Sequence[float]
    values: Sequence[float]
    color: str


GENERATIVE_COLORS = {"generator": "#009E73", "discriminator": "#E69F00", "diffusion": "#CC79A7"}  # Okabe–Ito


def curve_panels(curves: list[Curve], *, x_title: str, y_title: str, separators: str = ENGLISH_SEPARATORS) -> go.Figure:
    """Panels side by side, one line each, styled as `loss_curves` (thinned the same way)."""
    layout_axes, annotations = _panel_axes([c.title for c in curves], x_title=x_title, y_title=y_title)
    traces = []
    for col, curve in enumerate(curves):
        suffix = "" if col == 0 else str(col + 1)
        x, y = _thinned(curve.step, curve.values)
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "name": curve.title,
                "showlegend": False,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "line": {"color": curve.color, "width": 3},
            }
        )
    layout = chart_layout(height=360, separators=separators, annotations=annotations, **layout_axes)
    return go.Figure(data=traces, layout=layout)


SHARE_SCALE_MAX = 30  # % : a fair share is 10 %, so 30 % and above is already one digit taking over
SHARE_LABELS_UP_TO = 15  # epochs: with more rows the cells are too small for their numbers


def share_heatmap(
    shares: np.ndarray,
    epochs: Sequence[int],
    *,
    x_title: str,
    y_title: str,
    hover: str,
    cell_text: list[list[str]],
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """Epochs × digits, each cell the share (in %, `shares` (E, 10)) of the samples read as that
    digit, epoch 1 at the top: a fair generator is even, mode collapse leaves columns empty."""
    rows = len(epochs)
    heatmap: dict[str, Any] = {
        "type": "heatmap",
        "z": shares,
        "x": [str(d) for d in range(shares.shape[1])],
        "y": [str(e) for e in epochs],
        "colorscale": "Blues",
        "zmin": 0,
        "zmax": SHARE_SCALE_MAX,
        "showscale": False,
        "hovertemplate": hover + "<extra></extra>",
    }
    if rows <= SHARE_LABELS_UP_TO:
        heatmap |= {"text": cell_text, "texttemplate": "%{text}", "textfont": {"size": 15}}
    layout = chart_layout(
        height=min(90 + 34 * rows, 560),
        separators=separators,
        xaxis=axis_style(x_title, side="top", dtick=1, type="category"),
        yaxis=axis_style(y_title, autorange="reversed", type="category"),
    )
    return go.Figure(data=[heatmap], layout=layout)


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
    """Axis-aligned 1-σ ellipses of diagonal Gaussians: centres and radii, (K, 2) each, drawn
    `magnification` times larger (the legend's `name` must say so)."""

    centers: np.ndarray
    radii: np.ndarray
    name: str
    magnification: float = 1.0
    # (K, 2, 2) or None: ellipse k is centre + axes[k] @ (cos t, sin t), turned as a projected
    # covariance's (`vae_core.latent.projected_ellipse`); `radii` then give the lengths of its half-axes
    axes: np.ndarray | None = None


MAGNIFICATIONS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def ellipse_magnification(radii: np.ndarray, span: float, *, share: float = 0.025) -> int:
    """The smallest of 1, 2, 5, 10, … that draws a typical ellipse at least `share` of the chart's
    span in radius. A VAE's σ is often a few hundredths on axes that span ten units: drawn true to
    scale, its ellipses are smaller than the points they belong to."""
    typical = float(np.median(radii)) if np.size(radii) else 0.0
    if not np.isfinite(typical) or typical <= 0 or not np.isfinite(span) or span <= 0:
        return 1
    return next((k for k in MAGNIFICATIONS if typical * k >= share * span), MAGNIFICATIONS[-1])


def _ellipse_outline(ellipses: Ellipses, points: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """All ellipses as one polyline, separated by NaN gaps: one trace instead of K shapes."""
    angle = np.linspace(0, 2 * np.pi, points)
    if ellipses.axes is not None:  # turned ellipses
        outline = ellipse_points(ellipses.centers, ellipses.axes, points=points, scale=ellipses.magnification)
        xs, ys = outline[..., 0], outline[..., 1]  # (K, points) each
    else:
        radii = ellipses.radii * ellipses.magnification
        xs = ellipses.centers[:, :1] + radii[:, :1] * np.cos(angle)  # (K, points)
        ys = ellipses.centers[:, 1:2] + radii[:, 1:2] * np.sin(angle)
    gap = np.full((len(xs), 1), np.nan)
    return np.hstack([xs, gap]).ravel(), np.hstack([ys, gap]).ravel()


LABEL_OFFSET = 48  # pixels between a path's end and its label


def _end_labels(points: np.ndarray, start: str, end: str) -> list[dict[str, Any]]:
    """'start' and 'end' set off from the path's ends, away from the path (behind its start and
    beyond its end), each with a short line to its marker: never on top of the markers."""
    direction = points[-1] - points[0]
    length = float(np.hypot(*direction))
    dx, dy = (direction / length) if length > 0 else (0.0, 1.0)
    labels = []
    for (x, y), text, sign in ((points[0], start, -1.0), (points[-1], end, 1.0)):
        labels.append(
            {
                "x": float(x),
                "y": float(y),
                "text": text,
                "ax": sign * dx * LABEL_OFFSET,
                "ay": -sign * dy * LABEL_OFFSET,  # screen y grows downwards
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 2,
                "arrowcolor": INK,
                "standoff": 9,  # the line stops at the marker's rim
                "font": {"size": 18, "color": INK},
                "bgcolor": "rgba(255,255,255,0.9)",
                "bordercolor": INK,
                "borderwidth": 1,
                "borderpad": 3,
            }
        )
    return labels


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
    highlight_name: str | None = None,
    equal_axes: bool = True,
    height: int = 600,
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """Codes (N, 2) coloured by class; each point carries its validation index as customdata,
    so a click on the chart says which image it is. Overlays are drawn on top of the points, and
    the legend sits below the plot so the plotting area gets the whole width."""
    traces: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
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
    if ellipses is not None:  # on top of the points, or the points would hide them
        ex, ey = _ellipse_outline(ellipses)
        traces.append(
            {
                "type": "scatter",
                "x": ex,
                "y": ey,
                "mode": "lines",
                "name": ellipses.name,
                "legend": OVERLAY_LEGEND,
                "hoverinfo": "skip",
                "line": {"color": "rgba(17,17,17,0.8)", "width": 2},
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
                "legend": OVERLAY_LEGEND,
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
                "legend": OVERLAY_LEGEND,
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
                "mode": "markers",
                "hoverinfo": "skip",
                "showlegend": False,
                "marker": {"size": 16, "color": "#FFFFFF", "line": {"color": INK, "width": 3}},
            }
        )
        annotations += _end_labels(p, path.start_name, path.end_name)
    if highlight is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [highlight[0]],
                "y": [highlight[1]],
                "mode": "markers",
                "hoverinfo": "skip",
                "marker": {"size": 20, "symbol": "circle-open", "color": INK, "line": {"width": 4}},
            }
            | ({"name": highlight_name, "legend": OVERLAY_LEGEND} if highlight_name else {"showlegend": False})
        )
    y_axis = axis_style(y_title, **({"scaleanchor": "x", "scaleratio": 1} if equal_axes else {}))
    layout = chart_layout(
        height=height,
        separators=separators,
        legend_title=legend_title,
        legend_below=True,
        xaxis=axis_style(x_title),
        yaxis=y_axis,
        annotations=annotations,
    )
    layout["margin"] = {"l": 10, "r": 10, "t": 10, "b": 10}
    if any(trace.get("legend") == OVERLAY_LEGEND for trace in traces):
        # What is drawn over the codes gets a legend of its own, above the plot: in one legend with
        # the ten classes, its longer names made every entry as wide (plotly wraps a legend into
        # equal columns), and the classes stood one per line.
        layout[OVERLAY_LEGEND] = {
            "orientation": "h",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 16},
            "itemsizing": "constant",
        }
    return go.Figure(data=traces, layout=layout)


# --- KL per latent dimension ------------------------------------------------------------------

INACTIVE_COLOR = "#AAAAAA"


def kl_bars(
    kl_per_dim: np.ndarray,
    *,
    threshold: float,
    x_range: tuple[float, float],
    x_title: str,
    hover: str,
    height: int = 440,
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """The mean KL of each latent dimension (D,) as horizontal bars on a log axis, most KL at the top:
    active dimensions (above `threshold` nats) in the VAE's colour, switched-off ones in grey, the
    threshold dashed. Horizontal, so that every dimension's name can be read at a projector's size in
    a third of the screen.

    Sorted because a dimension's number means nothing across models (z3 of one VAE has nothing to do
    with z3 of another): sorted, the bars of any VAE fall as a staircase whose length is its active
    units, and staircases compare. The log axis shows the switched-off dimensions (10⁻⁴ nats) and
    the working ones (a few nats) on one chart. `x_range` in nats, shared by the charts compared;
    `hover` a template with {dim} and {kl}."""
    kl = np.asarray(kl_per_dim, dtype=float)
    order = np.argsort(-kl, kind="stable")
    labels = [f"z{d + 1}" for d in order]
    colors = [MODEL_COLORS["vae"] if value > threshold else INACTIVE_COLOR for value in kl[order]]
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": kl[order],
        "y": labels,
        "marker": {"color": colors},
        "hovertemplate": hover.format(dim="%{y}", kl="%{x:.3g}") + "<extra></extra>",
    }
    line = {"dash": "dash", "color": INK, "width": 2}
    threshold_line = {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "xref": "x", "x0": threshold, "x1": threshold}
    low, high = x_range
    # A grid line at every power of ten, labelled at every other one (0.0001, 0.01, 1 …, the threshold's
    # among them): five decades in a third of a projected page leave no room for a label at each.
    decades = [10.0**e for e in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)]
    names = [np.format_float_positional(v, trim="-") if round(np.log10(v)) % 2 == 0 else "" for v in decades]
    names = [name.replace(".", separators[0]) for name in names]
    layout = chart_layout(
        height=height,
        separators=separators,
        showlegend=False,
        bargap=0.2,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        shapes=[threshold_line | {"line": line}],
        xaxis=axis_style(
            x_title,
            type="log",
            range=[float(np.log10(low)), float(np.log10(high))],
            tickvals=decades,
            ticktext=names,
        ),
        yaxis=axis_style(
            "", type="category", categoryorder="array", categoryarray=labels, autorange="reversed", dtick=1
        ),
    )
    return go.Figure(data=[bars], layout=layout)


# --- anomaly detection ------------------------------------------------------------------------

GROUP_COLORS = ("#7F7F7F", "#E69F00")  # normal images in grey, the unusual ones in Okabe–Ito orange


def score_histograms(
    groups: Sequence[tuple[str, np.ndarray]],
    *,
    threshold: float,
    threshold_label: str,
    x_title: str,
    y_title: str,
    bins: int = 40,
    height: int = 340,
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """Histograms of the anomaly scores of two groups (normal, then unusual) on shared bins, each in
    percent of its own group (the groups differ in size), overlaid, with the threshold dashed.
    Counted with numpy: the figure carries 2 × `bins` bars, not every score."""
    values = np.concatenate([np.ravel(scores) for _, scores in groups] + [[threshold]])
    edges = np.histogram_bin_edges(values, bins=bins)
    centres, width = (edges[:-1] + edges[1:]) / 2, float(edges[1] - edges[0])
    traces = []
    for (name, scores), color in zip(groups, GROUP_COLORS, strict=False):
        counts, _ = np.histogram(scores, bins=edges)
        traces.append(
            {
                "type": "bar",
                "x": centres,
                "y": 100.0 * counts / max(1, len(scores)),
                "width": width,
                "name": name,
                "marker": {"color": color, "line": {"width": 0}},
                "opacity": 0.65,
                "hovertemplate": "%{x:.0f} nats: %{y:.1f} %<extra>" + name + "</extra>",
            }
        )
    line = {"type": "line", "xref": "x", "x0": threshold, "x1": threshold, "yref": "paper", "y0": 0, "y1": 1}
    right_half = threshold > (edges[0] + edges[-1]) / 2  # the label on the side with room for it
    label = {
        "xref": "x",
        "x": threshold,
        "yref": "paper",
        "y": 1,
        "text": threshold_label,
        "showarrow": False,
        "xanchor": "right" if right_half else "left",
        "yanchor": "top",
        "xshift": -4 if right_half else 4,
        "bgcolor": "rgba(255, 255, 255, 0.8)",
        "font": {"size": 16},
    }
    layout = chart_layout(
        height=height,
        separators=separators,
        legend_below=True,
        barmode="overlay",
        bargap=0,
        shapes=[line | {"line": {"dash": "dash", "color": INK, "width": 2}}],
        annotations=[label],
        xaxis=axis_style(x_title),
        yaxis=axis_style(y_title, rangemode="tozero"),
    )
    return go.Figure(data=traces, layout=layout)


@dataclass(frozen=True)
class RocLine:
    """One score's ROC curve, and where the chosen threshold puts it."""

    name: str
    false_positive_rate: np.ndarray  # (T,)
    true_positive_rate: np.ndarray  # (T,)
    point: tuple[float, float]  # (false-positive rate, true-positive rate) at the chosen threshold
    color: str
    dash: str = "solid"


def roc_chart(
    lines: Sequence[RocLine],
    *,
    x_title: str,
    y_title: str,
    chance_label: str,
    height: int = 440,
    separators: str = ENGLISH_SEPARATORS,
) -> go.Figure:
    """ROC curves on the unit square, the diagonal of a score that knows nothing, and a dot on each
    curve where the chosen threshold puts it: moving the threshold moves the dots along the curves."""
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [0, 1],
            "y": [0, 1],
            "mode": "lines",
            "name": chance_label,
            "line": {"dash": "dot", "color": "#999999", "width": 2},
            "hoverinfo": "skip",
        }
    ]
    for line in lines:
        traces.append(
            {
                "type": "scatter",
                "x": line.false_positive_rate,
                "y": line.true_positive_rate,
                "mode": "lines",
                "name": line.name,
                "line": {"color": line.color, "dash": line.dash, "width": 3, "shape": "hv"},
                "hovertemplate": "%{x:.2f}, %{y:.2f}<extra>" + line.name + "</extra>",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": [line.point[0]],
                "y": [line.point[1]],
                "mode": "markers",
                "showlegend": False,
                # A dashed curve's dot is a diamond: two curves' dots at one threshold may fall together.
                "marker": {
                    "color": line.color,
                    "size": 14,
                    "symbol": "circle" if line.dash == "solid" else "diamond",
                    "line": {"color": INK, "width": 2},
                },
                "hovertemplate": "%{x:.2f}, %{y:.2f}<extra>" + line.name + "</extra>",
            }
        )
    # The y axis's title sits above the plot, written across: turned up the axis, its two lines took
    # a phone's chart a sixth of its width and still lost their ends to the screen's edge.
    layout = chart_layout(
        height=height,
        separators=separators,
        legend_below=True,
        xaxis=axis_style(x_title, range=[-0.02, 1.02], dtick=0.2),
        yaxis=axis_style("", range=[-0.02, 1.02], dtick=0.2),
        annotations=[
            {
                "text": y_title,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 8,
                "showarrow": False,
                "font": {"size": 18, "color": INK},  # as the x axis's title
                "align": "left",
            }
        ],
    )
    layout["margin"] = {**layout["margin"], "t": 64}  # room for the title's two lines
    return go.Figure(data=traces, layout=layout)


# --- style directions ---------------------------------------------------------------------------

LOST_COLOR = "#E69F00"  # Okabe–Ito orange: decoded images the evaluator no longer reads as the digit


def attribute_chart(
    alphas: np.ndarray,
    values: np.ndarray,
    kept: np.ndarray,
    *,
    alpha: float,
    own: float,
    x_title: str,
    y_title: str,
    names: tuple[str, str, str],
    separators: str = ENGLISH_SEPARATORS,
    height: int = 380,
) -> go.Figure:
    """The attribute measured on each decoded image (A,) against α (A,), a marker per image: the VAE's
    blue where the evaluator still reads the digit (`kept`), orange where it reads another; the digit's
    own measure dashed, the chosen α dotted. `names`: (kept, lost, own) for the legend."""
    alphas, values, kept = np.asarray(alphas, float), np.asarray(values, float), np.asarray(kept, bool)
    line = {"type": "scatter", "mode": "lines", "x": alphas.tolist(), "y": values.tolist(), "showlegend": False}
    line |= {"line": {"color": MODEL_COLORS["vae"], "width": 3}, "hoverinfo": "skip"}
    traces = [line]
    for name, members, color in ((names[0], kept, MODEL_COLORS["vae"]), (names[1], ~kept, LOST_COLOR)):
        if members.any():
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "x": alphas[members].tolist(),
                    "y": values[members].tolist(),
                    "marker": {"size": 14, "color": color, "line": {"color": INK, "width": 1}},
                    "hovertemplate": "α = %{x}<br>%{y:.3g}<extra></extra>",
                }
            )
    own_line = {"type": "scatter", "mode": "lines", "name": names[2], "x": [alphas[0], alphas[-1]], "y": [own, own]}
    traces.append(own_line | {"line": {"color": INK, "width": 2, "dash": "dash"}, "hoverinfo": "skip"})
    chosen = {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "x0": alpha, "x1": alpha}
    layout = chart_layout(
        height=height,
        separators=separators,
        legend_below=True,
        margin={"l": 10, "r": 10, "t": 10, "b": 90},
        shapes=[chosen | {"line": {"color": "#666666", "width": 2, "dash": "dot"}}],
        xaxis=axis_style(x_title, zeroline=False),
        yaxis=axis_style(y_title),
    )
    return go.Figure(data=traces, layout=layout)


AUGMENTATION_COLORS = {"real": INK, "real_and_synthetic": "#0072B2", "real_shifted": "#009E73"}  # Okabe–Ito
AUGMENTATION_DASH = {"real": "solid", "real_and_synthetic": "solid", "real_shifted": "dash"}


def augmentation_chart(
    real_per_class: Sequence[int],
    lines: Sequence[tuple[str, str, np.ndarray, np.ndarray]],
    synthetic_only: tuple[str, float, float],
    *,
    x_title: str,
    y_title: str,
    separators: str = ENGLISH_SEPARATORS,
    height: int = 400,
) -> go.Figure:
    """Validation accuracy (%) against real images per class (log axis), one line per condition with error
    bars of one standard deviation over runs; `lines`: (condition, name, mean, spread) in [0, 1];
    `synthetic_only`: (name, mean, spread), the classifier that saw no real image, dotted across."""
    ks = [int(k) for k in real_per_class]
    traces: list[dict[str, Any]] = []
    for condition, name, mean, spread in lines:
        color = AUGMENTATION_COLORS[condition]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": ks,
                "y": (100 * np.asarray(mean)).tolist(),
                "error_y": {"type": "data", "array": (100 * np.asarray(spread)).tolist(), "color": color, "width": 6},
                "line": {"color": color, "width": 3, "dash": AUGMENTATION_DASH[condition]},
                "marker": {"size": 11, "color": color},
                "hovertemplate": "%{x}: %{y:.1f} %<extra></extra>",
            }
        )
    name, mean, spread = synthetic_only
    band = {"type": "scatter", "mode": "lines", "name": name, "x": [ks[0], ks[-1]], "y": [100 * mean] * 2}
    traces.append(band | {"line": {"color": "#CC79A7", "width": 2, "dash": "dot"}, "hoverinfo": "skip"})
    layout = chart_layout(
        height=height,
        separators=separators,
        legend_below=True,
        margin={"l": 10, "r": 10, "t": 10, "b": 110},
        xaxis=axis_style(x_title, type="log", tickvals=ks, ticktext=[str(k) for k in ks]),
        yaxis=axis_style(y_title, ticksuffix=" %"),
    )
    return go.Figure(data=traces, layout=layout)

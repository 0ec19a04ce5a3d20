"""The latent space forming, on the Train page: while a pair trains, the validation codes of the AE
and the VAE after each epoch; afterwards, and for any pair whose checkpoints kept snapshots, a
replay of the kept epochs (codes and a small decoded grid) with a slider and a play button.

The replay is one plotly figure with animation frames: the browser plays it, the server sends it
once. The live figures are rebuilt only when a new epoch arrives (the page polls twice a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from .figures import CLASS_COLORS, INK, axis_style, chart_layout
from .images import png_data_url
from .picker import PAIR_KEY, PREFERRED_DATASET, PREFERRED_LATENT, current_catalog, pair_label
from .state import default
from .style import show_chart
from .texts import class_label, dataset_label, kind_label, labels, language, plain, plot_separators, t

if TYPE_CHECKING:
    from vae_core.catalog import ModelPair
    from vae_core.snapshots import LiveCodes, Snapshots
    from vae_core.training_jobs import TrainingProgress

    from .session_training import TrainingRun

PRIOR_RADIUS = 2.0  # the dashed circle: 86 % of N(0, I)'s mass in 2-D lies inside it
LIVE_CACHE = "forming.live_figures"  # session state: kind → (what the figure shows, the figure)
REPLAY_KEY = "keep.forming_pair"  # the pair replayed; kept in the link
SHOWN_RUN = "forming.shown_run"  # the run whose pair the replay last switched to
SHOW_KEY = "keep.forming_show"  # the replay is drawn on request (a 150–300 kB animated figure), and after a run
FRAME_MS = 450  # per epoch when playing: a 50-epoch replay takes about 20 s
SLIDER_LABELS = 8  # epochs written under the slider (the others are marks only: 50 labels would overlap)
CHOICE_FITS = 34  # characters of a pair's name that a phone's select box shows without cutting
SCATTER_SHARE = 0.58  # of the replay's plotting height, the codes; the grids get the rest
REPLAY_HEIGHT = 960


# --- shared pieces ------------------------------------------------------------------------------


def _circle(radius: float, points: int = 120) -> tuple[np.ndarray, np.ndarray]:
    angle = np.linspace(0, 2 * np.pi, points)
    return radius * np.cos(angle), radius * np.sin(angle)


def _class_traces(
    points: np.ndarray, labels_: np.ndarray, names: list[str], *, axes: tuple[str, str], legend: bool
) -> list[dict[str, Any]]:
    """One scatter trace per class (every class, even one without points: the frames of a replay
    must update the same traces)."""
    traces = []
    for label, name in enumerate(names):
        mask = labels_ == label
        traces.append(
            {
                "type": "scatter",
                "x": points[mask, 0].astype(np.float32),
                "y": points[mask, 1].astype(np.float32),
                "mode": "markers",
                "name": name,
                "legendgroup": name,
                "showlegend": legend and bool(mask.any()),
                "hoverinfo": "skip",
                "xaxis": axes[0],
                "yaxis": axes[1],
                "marker": {"size": 6, "color": CLASS_COLORS[label % len(CLASS_COLORS)], "opacity": 0.8},
            }
        )
    return traces


def _prior_trace(axes: tuple[str, str], *, legend: bool) -> dict[str, Any]:
    x, y = _circle(PRIOR_RADIUS)
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines",
        "name": t("forming.prior"),
        "legendgroup": "prior",
        "showlegend": legend,
        "hoverinfo": "skip",
        "xaxis": axes[0],
        "yaxis": axes[1],
        "line": {"color": INK, "width": 2, "dash": "dash"},
    }


def _axis_titles(method: str, explained: tuple[float, float] | None, *, key: str) -> tuple[str, str]:
    if method == "pca" and explained is not None:
        return t(key, n=1, pct=100 * explained[0]), t(key, n=2, pct=100 * explained[1])
    return "z1", "z2"


def _class_names(names: tuple[str, ...]) -> list[str]:
    return [class_label(n) for n in names]


# --- live ---------------------------------------------------------------------------------------


def live_figure(codes: LiveCodes, *, title: str) -> go.Figure:
    """One model's codes after an epoch, with the prior's circle for scale."""
    axes = ("x", "y")
    traces = [
        *_class_traces(codes.points, codes.labels, _class_names(codes.class_names), axes=axes, legend=True),
        _prior_trace(axes, legend=True),
    ]
    x_title, y_title = _axis_titles(codes.method, codes.explained, key="plot.pc")
    layout = chart_layout(
        height=460,
        separators=plot_separators(),
        legend_title=t("plot.class"),
        legend_below=True,
        xaxis=axis_style(x_title),
        yaxis=axis_style(y_title, scaleanchor="x", scaleratio=1),
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
    )
    layout["margin"] = {"l": 10, "r": 10, "t": 40, "b": 10}
    return go.Figure(data=traces, layout=layout)


def show_live_codes(run_id: str, snapshots: dict[str, TrainingProgress]) -> None:
    """In the Train page's polling fragment, while training: each model's latest codes. A figure
    is built only when its model reports a new epoch; the other polls reuse it."""
    shown = [(kind, snap.codes) for kind, snap in snapshots.items() if snap.codes is not None]
    if not shown:
        return
    st.markdown(f"**{t('forming.live_title')}**")
    cache: dict[str, tuple[tuple[Any, ...], go.Figure]] = st.session_state.setdefault(LIVE_CACHE, {})
    # One column per model from the first figure on, so that a figure never changes column (see
    # `ui.layout.fragment_slots`).
    columns = dict(zip(snapshots, st.columns(len(snapshots)), strict=True))
    for kind, codes in shown:
        column = columns[kind]
        what = (run_id, codes.epoch, language())
        cached = cache.get(kind)
        if cached is None or cached[0] != what:
            title = (
                t("forming.live_before", model=kind_label(kind))
                if codes.epoch == 0
                else t("forming.live_epoch", model=kind_label(kind), epoch=codes.epoch)
            )
            cached = cache[kind] = (what, live_figure(codes, title=title))
        with column:
            show_chart(cached[1], key=f"forming_live_{kind}")
    view = t(f"forming.view.{shown[0][1].method}")
    st.caption(t("forming.live_caption", n=len(shown[0][1].labels), view=view))


# --- replay -------------------------------------------------------------------------------------


def _range(values: np.ndarray) -> list[float]:
    """An axis range over every frame's codes (their 0.5–99.5 % span, so one stray does not shrink
    the rest) and the prior's circle, padded by 8 %."""
    lo, hi = np.percentile(values, [0.5, 99.5]) if values.size else (0.0, 0.0)
    lo, hi = min(float(lo), -PRIOR_RADIUS), max(float(hi), PRIOR_RADIUS)
    pad = 0.08 * (hi - lo)
    return [lo - pad, hi + pad]


def _frame_index(snaps: Snapshots, epoch: int) -> int:
    """The last kept epoch at or before `epoch` (the first if none)."""
    return max(0, int(np.searchsorted(snaps.epochs, epoch, side="right")) - 1)


def _labelled(epochs: list[int]) -> set[int]:
    """The epochs written under the slider: the first, the last and a few evenly between."""
    picks = np.linspace(0, len(epochs) - 1, min(SLIDER_LABELS, len(epochs))).round().astype(int)
    return {epochs[i] for i in picks}


def _epoch_title(epoch: int, last: int) -> dict[str, Any]:
    text = t("forming.epoch0") if epoch == 0 else t("forming.epoch", epoch=epoch, last=last)
    return {
        "text": text,
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 8},
        "font": {"size": 20},
    }


def _box_trace(snaps: Snapshots, k: int, axes: tuple[str, str], *, legend: bool) -> dict[str, Any]:
    x0, y0, x1, y1 = (float(v) for v in snaps.boxes[k])
    return {
        "type": "scatter",
        "x": [x0, x1, x1, x0, x0],
        "y": [y0, y0, y1, y1, y0],
        "mode": "lines",
        "name": t("forming.grid_box"),
        "legendgroup": "box",
        "showlegend": legend,
        "hoverinfo": "skip",
        "xaxis": axes[0],
        "yaxis": axes[1],
        "line": {"color": "#666666", "width": 2, "dash": "dot"},
    }


def _grid_url(snaps: Snapshots, k: int) -> str:
    return png_data_url(snaps.grid_picture(k))


def _image_trace(snaps: Snapshots, k: int, axes: tuple[str, str]) -> dict[str, Any]:
    return {"type": "image", "source": _grid_url(snaps, k), "xaxis": axes[0], "yaxis": axes[1], "hoverinfo": "skip"}


def replay_figure(members: dict[str, Snapshots]) -> go.Figure:
    """Codes (top) and decoded grid (bottom) per model, side by side, one frame per kept epoch, with
    a slider and play/pause buttons that move every model together."""
    kinds = list(members)
    epochs = sorted({int(e) for s in members.values() for e in s.epochs})
    last = epochs[-1]
    gap = 0.08
    width = (1 - gap * (len(kinds) - 1)) / len(kinds)
    traces: list[dict[str, Any]] = []
    layout_axes: dict[str, Any] = {}
    annotations: list[dict[str, Any]] = []
    moving: dict[str, list[int]] = {}  # kind → indices of its traces that change from frame to frame
    for col, kind in enumerate(kinds):
        snaps = members[kind]
        left = col * (width + gap)
        n_scatter, n_image = 2 * col + 1, 2 * col + 2
        sx, sy = f"x{n_scatter if n_scatter > 1 else ''}", f"y{n_scatter if n_scatter > 1 else ''}"
        ix, iy = f"x{n_image}", f"y{n_image}"
        x_title, y_title = _axis_titles(snaps.method, snaps.explained, key="forming.pc_last")
        points = snaps.points.astype(np.float32)
        layout_axes[f"xaxis{n_scatter if n_scatter > 1 else ''}"] = axis_style(
            x_title, domain=[left, left + width], anchor=sy, range=_range(points[..., 0])
        )
        layout_axes[f"yaxis{n_scatter if n_scatter > 1 else ''}"] = axis_style(
            y_title, domain=[1 - SCATTER_SHARE, 1], anchor=sx, range=_range(points[..., 1]), scaleanchor=sx
        )
        hidden = {"visible": False, "showgrid": False, "zeroline": False}
        layout_axes[f"xaxis{n_image}"] = {**hidden, "domain": [left, left + width], "anchor": iy}
        layout_axes[f"yaxis{n_image}"] = {**hidden, "domain": [0, 1 - SCATTER_SHARE - 0.12], "anchor": ix}
        layout_axes[f"yaxis{n_image}"] |= {"scaleanchor": ix, "autorange": "reversed"}
        annotations.append(
            {
                "text": f"<b>{kind_label(kind)}</b>",  # short: on a phone the two columns are narrow
                "x": left + width / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "yshift": 6,
                "showarrow": False,
                "font": {"size": 17},
            }
        )
        annotations.append(
            {
                "text": t("forming.grid_title"),
                "x": left + width / 2,
                "y": 1 - SCATTER_SHARE - 0.12,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "font": {"size": 16},
            }
        )
        traces.append(_prior_trace((sx, sy), legend=col == 0))
        first = _frame_index(snaps, epochs[0])
        start = len(traces)
        traces += _class_traces(
            points[first], snaps.labels, _class_names(snaps.class_names), axes=(sx, sy), legend=col == 0
        )
        if snaps.method == "identity":  # the grid's square, in the very plane of the codes
            traces.append(_box_trace(snaps, first, (sx, sy), legend=col == 0))
        traces.append(_image_trace(snaps, first, (ix, iy)))
        moving[kind] = list(range(start, len(traces)))

    frames = []
    for epoch in epochs:
        data, indices = [], []
        for col, kind in enumerate(kinds):
            snaps = members[kind]
            k = _frame_index(snaps, epoch)
            sx, sy = ("x", "y") if col == 0 else (f"x{2 * col + 1}", f"y{2 * col + 1}")
            updates = [
                {"type": "scatter", "x": p[:, 0], "y": p[:, 1]}
                for p in (
                    snaps.points[k][snaps.labels == label].astype(np.float32) for label in range(len(snaps.class_names))
                )
            ]
            if snaps.method == "identity":
                box = _box_trace(snaps, k, (sx, sy), legend=False)
                updates.append({"type": "scatter", "x": box["x"], "y": box["y"]})
            updates.append({"type": "image", "source": _grid_url(snaps, k)})
            data += updates
            indices += moving[kind]
        frames.append(
            {"name": str(epoch), "data": data, "traces": indices, "layout": {"title": _epoch_title(epoch, last)}}
        )

    steps = [
        {
            "method": "animate",
            "label": str(epoch) if epoch in _labelled(epochs) else "",
            "args": [
                [str(epoch)],
                {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}},
            ],
        }
        for epoch in epochs
    ]
    play = {"frame": {"duration": FRAME_MS, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}}
    pause = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}
    layout = chart_layout(
        height=REPLAY_HEIGHT,
        separators=plot_separators(),
        legend_below=True,
        annotations=annotations,
        title=_epoch_title(epochs[0], last),
        **layout_axes,
    )
    # Above the plots, as on a video player: the epoch (the title), Play | Pause, then the slider,
    # each placed in pixels from the plots' top edge, so that a phone's narrow figure keeps them apart.
    layout["margin"] = {"l": 10, "r": 10, "t": 200, "b": 10}
    layout["sliders"] = [
        {
            "active": 0,
            "steps": steps,
            "x": 0,
            "len": 1,
            "y": 1,
            "yanchor": "bottom",
            "pad": {"t": 0, "b": 40, "l": 10, "r": 10},
            "currentvalue": {"visible": False},
            "font": {"size": 15},
            "tickcolor": INK,
        }
    ]
    layout["updatemenus"] = [
        {
            "type": "buttons",
            "direction": "left",
            "showactive": False,
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "bottom",
            "pad": {"b": 118, "l": 10},
            "font": {"size": 16},
            "buttons": [
                {"label": "▶ " + t("forming.play"), "method": "animate", "args": [None, play]},
                {"label": "❚❚ " + t("forming.pause"), "method": "animate", "args": [[None], pause]},
            ],
        }
    ]
    return go.Figure(data=traces, layout=layout, frames=frames)


# --- the replay section ---------------------------------------------------------------------------


def _members(pair: ModelPair) -> dict[str, Snapshots]:
    found = {}
    for kind in ("ae", "vae"):
        item = pair.member(kind)
        if item is not None and item.info.snapshots is not None:
            found[kind] = item.info.snapshots
    return found


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_replay(keys: tuple[str, ...], lang: str, _members_: dict[str, Snapshots]) -> go.Figure:
    """The replay of one pair in one language, built once per server (its pictures are encoded once)
    and shared read only: `keys` are the members' file versions."""
    return replay_figure(_members_)


def _replay_pairs() -> dict[str, ModelPair]:
    return {p.id: p for p in current_catalog().pairs if _members(p)}


def _preferred(pairs: dict[str, ModelPair]) -> str:
    """The sidebar picker's pair when it has snapshots, else the shipped 2-D MNIST pair, else the first."""
    picked = st.session_state.get(PAIR_KEY)
    if picked in pairs:
        return picked
    preferred = [
        p.id
        for p in pairs.values()
        if p.source == "shipped" and p.dataset == PREFERRED_DATASET and p.latent_dim == PREFERRED_LATENT
    ]
    return preferred[0] if preferred else next(iter(pairs))


def replay_section(run: TrainingRun | None) -> None:
    """How the latent space formed: the replay of the pair just trained here, or of any pair whose
    files kept snapshots (the picker's pair first)."""
    st.subheader(t("forming.replay_title"))
    pairs = _replay_pairs()
    if not pairs:
        st.info(t("forming.none"))
        return
    if run is not None and run.registered and st.session_state.get(SHOWN_RUN) != run.run_id:
        st.session_state[SHOWN_RUN] = run.run_id  # a run just finished: its pair is the one to watch
        st.session_state[SHOW_KEY] = True
        own = current_catalog().pair_of_run(run.run_id)
        if own is not None and own.id in pairs:
            st.session_state[REPLAY_KEY] = own.id
    default(SHOW_KEY, False)
    if not st.toggle(t("forming.show"), key=SHOW_KEY, width="stretch"):
        return
    default(REPLAY_KEY, _preferred(pairs), list(pairs))
    names = labels(
        pairs,
        lambda i: t(
            "forming.pair_label",
            dataset=dataset_label(pairs[i].dataset),
            d=pairs[i].latent_dim,
            pair=pair_label(pairs[i]),
        ),
    )
    pair_id = st.selectbox(t("forming.replay_pair"), list(pairs), key=REPLAY_KEY, format_func=names)
    if len(names(pair_id)) > CHOICE_FITS:  # a phone's box cuts a long name: the whole of it below
        st.caption(plain(names(pair_id)))
    members = _members(pairs[pair_id])
    st.markdown(t("forming.replay_intro"))
    keys = tuple(f"{k}:{pairs[pair_id].member(k).file.key}" for k in members)  # type: ignore[union-attr]
    figure = _cached_replay(keys, language(), members)
    show_chart(figure, key="forming_replay")
    first = next(iter(members.values()))
    view = t("forming.view_last.pca") if first.method == "pca" else t("forming.view.identity")
    st.caption(t("forming.replay_caption", n=len(first.labels), view=view))

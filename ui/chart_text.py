"""A chart in words, for a screen reader: its axes, then what each trace holds (the bars' values, a
cloud's or a curve's extent), read from the figure itself so the words cannot drift from the picture.
`ui.style.show_chart` puts it under every chart, for assistive technology only. No plotly import:
a figure is read through its attributes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .texts import number, t

NUMBER = ".3g"  # three significant digits: a summary gives the size of things, not the data
MAX_BARS = 20  # bars named one by one up to this many; more are summarised by their extent
MAX_CHARS = 600  # a chart's accessible name is a description: past this, the other series are counted
TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)  # a line break between two words keeps them apart
EXTRA = re.compile(r"<extra>(.*?)</extra>", re.DOTALL)


def _words(text: Any) -> str:
    """Plotly's markup (<b>, <br>, <sub>) out of a title or a name: a screen reader says words."""
    words = BREAK.sub(" ", str(text if text is not None else ""))
    return " ".join(TAG.sub("", words).split())


def _title(axis: Any) -> str:
    return _words(getattr(getattr(axis, "title", None), "text", None))


def _finite(values: Iterable[Any] | None) -> list[float]:
    found = []
    for value in values if values is not None else ():
        try:
            v = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(v):
            found.append(v)
    return found


def _extent(values: list[float]) -> tuple[str, str]:
    return number(min(values), NUMBER), number(max(values), NUMBER)


def _bars(trace: Any, name: str) -> str | None:
    horizontal = getattr(trace, "orientation", None) == "h"
    label_values, bar_values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    labels = [_words(label) for label in label_values] if label_values is not None else []
    values = _finite(bar_values)
    if not values:
        return None
    if len(values) <= MAX_BARS and len(labels) == len(values):
        listed = "; ".join(f"{label}: {number(v, NUMBER)}" for label, v in zip(labels, values, strict=True))
        return t("chart.bars", name=name, values=listed)
    low, high = _extent(values)
    return t("chart.many_bars", name=name, count=len(values), low=low, high=high)


def _points(trace: Any, name: str) -> str | None:
    xs, ys = _finite(trace.x), _finite(trace.y)
    if not xs or not ys:
        return None
    (x0, x1), (y0, y1) = _extent(xs), _extent(ys)
    if len(xs) == len(ys) == 1:
        return t("chart.point", name=name, x0=x0, y0=y0)
    key = "chart.line" if "lines" in str(getattr(trace, "mode", "") or "") else "chart.points"
    return t(key, name=name, count=min(len(xs), len(ys)), x0=x0, x1=x1, y0=y0, y1=y1)


def _grid(trace: Any, name: str) -> str | None:
    rows = [list(row) for row in (trace.z if trace.z is not None else [])]
    values = _finite(v for row in rows for v in row)
    if not values:
        return None
    low, high = _extent(values)
    return t("chart.grid", name=name, rows=len(rows), cols=max(len(r) for r in rows), low=low, high=high)


def _y_title(layout: Any) -> str:
    """The y axis's title, or the text written above the plot in its place (an annotation at the
    paper's top: some of our charts write it across, not up the axis)."""
    above = (a.text for a in layout.annotations or () if a.yref == "paper" and (a.y or 0) >= 1 and a.text)
    return _title(layout.yaxis) or _words(next(above, ""))


def _name(trace: Any) -> str:
    """The trace's legend name, else the name its hover box gives it (<extra>…</extra>)."""
    hover = EXTRA.search(str(getattr(trace, "hovertemplate", None) or ""))
    return _words(getattr(trace, "name", None)) or (_words(hover.group(1)) if hover else "") or t("chart.unnamed")


def chart_summary(figure: Any) -> str:
    """The chart's axes and its visible traces in a few sentences, in the user's language."""
    layout = figure.layout
    x_title, y_title = _title(layout.xaxis), _y_title(layout)
    head = [t("chart.axes", x=x_title, y=y_title)] if x_title and y_title else []
    parts: list[str] = []
    legend = _words(getattr(getattr(getattr(layout, "legend", None), "title", None), "text", None))
    for trace in figure.data:
        if getattr(trace, "visible", True) in (False, "legendonly"):
            continue
        name = _name(trace)
        if legend and name.replace(".", "").replace(",", "").isdigit():  # "0" says little: "digit 0"
            name = f"{legend} {name}"
        kind = trace.type
        if kind == "bar":
            said = _bars(trace, name)
        elif kind in ("scatter", "scattergl"):
            said = _points(trace, name)
        elif kind == "heatmap":
            said = _grid(trace, name)
        elif kind == "image":
            said = t("chart.picture", name=name)
        else:
            said = None
        if said:
            parts.append(said)
    kept = head  # the axes, then the series while the name stays short (a name, not the data)
    for k, said in enumerate(parts):
        if k and len(" ".join([*kept, said])) > MAX_CHARS:
            kept.append(t("chart.more", count=len(parts) - k))
            break
        kept.append(said)
    return " ".join(kept) or t("chart.empty")

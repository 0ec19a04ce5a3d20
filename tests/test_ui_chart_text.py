"""Charts in words (ui/chart_text.py): what a screen reader hears under each chart, read from the figure
itself. The wording is checked on small figures; then every page that draws charts is opened, in
both languages, and each chart must carry its summary as its accessible name (st.plotly_chart's `alt`)."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from tests.app_testing import assert_clean, open_app
from ui.chart_text import MAX_BARS, MAX_CHARS, chart_summary
from ui.texts import t


def test_bars_are_named_with_their_values_and_the_axes_come_first() -> None:
    figure = go.Figure(
        go.Bar(x=[3, 0, 12], y=["A", "B", "C"], orientation="h", name="answers"),
        layout={"xaxis": {"title": {"text": "students"}}, "yaxis": {"title": {"text": "option"}}},
    )
    assert chart_summary(figure) == (
        f"{t('chart.axes', x='students', y='option')} {t('chart.bars', name='answers', values='A: 3; B: 0; C: 12')}"
    )


def test_many_bars_are_summarised_by_their_extent() -> None:
    values = list(range(MAX_BARS + 1))
    said = chart_summary(go.Figure(go.Bar(x=[f"z{i}" for i in values], y=values, name="KL")))
    assert said == t("chart.many_bars", name="KL", count=MAX_BARS + 1, low="0", high=str(MAX_BARS))


def test_clouds_curves_and_single_points_say_their_extent_on_named_axes() -> None:
    figure = go.Figure(
        [
            go.Scatter(x=[0.0, 0.5, 1.0], y=[0.0, 0.9, 1.0], mode="lines", name="<b>VAE</b>, AUC 0.95"),
            go.Scatter(x=[0.25], y=[0.8], mode="markers", hovertemplate="%{x}<extra>VAE</extra>", showlegend=False),
            go.Scatter(x=[1, 2, float("nan")], y=[-3, 4, 1], mode="markers", name="7", visible=True),
            go.Scatter(x=[9], y=[9], name="hidden", visible="legendonly"),
        ],
        layout={
            "xaxis": {"title": {"text": "FPR"}},
            "yaxis": {"title": {"text": "TPR"}},
            "legend": {"title": {"text": "digit"}},
        },
    )
    said = chart_summary(figure)
    curve = t("chart.line", name="VAE, AUC 0.95", count=3, x0="0", x1="1", y0="0", y1="1")
    assert curve in said  # plotly's markup is left out of the words
    assert t("chart.point", name="VAE", x0="0.25", y0="0.8") in said  # named by its hover box
    assert t("chart.points", name="digit 7", count=2, x0="1", x1="2", y0="-3", y1="4") in said
    assert "hidden" not in said


def test_a_title_written_above_the_plot_stands_for_the_y_axis_and_grids_and_pictures_are_said() -> None:
    figure = go.Figure(
        [go.Heatmap(z=[[0.0, 1.0], [2.0, 3.0], [4.0, 5.5]], name="counts"), go.Image(z=[[[0, 0, 0]]], name="digit")],
        layout={
            "xaxis": {"title": {"text": "column"}},
            "annotations": [{"text": "share <br>flagged", "xref": "paper", "yref": "paper", "x": 0, "y": 1}],
        },
    )
    said = chart_summary(figure)
    assert said.startswith(t("chart.axes", x="column", y="share flagged"))
    assert t("chart.grid", name="counts", rows=3, cols=2, low="0", high="5.5") in said
    assert t("chart.picture", name="digit") in said
    assert chart_summary(go.Figure()) == t("chart.empty")


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("page", ["uses", "beta", "generative", "interpolation", "ae_vs_vae", "style"])
def test_every_chart_of_a_page_is_named_by_its_summary(page: str, lang: str) -> None:
    at = open_app(page, lang=lang)
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        text = chart.proto.alt  # the chart's accessible name
        assert len(text) > 20 and "{" not in text, text
        if lang == "pt":  # numbers as Portuguese writes them: no decimal point
            assert not re.search(r"\d\.\d", text), text


def test_a_chart_of_many_series_is_named_briefly_and_counts_the_rest() -> None:
    figure = go.Figure([go.Scatter(x=[0, 1], y=[i, i + 1], name=f"series number {i}") for i in range(40)])
    said = chart_summary(figure)
    assert len(said) <= MAX_CHARS + 40 and said.startswith(
        t("chart.points", name="series number 0", count=2, x0="0", x1="1", y0="0", y1="1")
    )
    shown = said.count("series number")
    assert 1 < shown < 40 and said.endswith(t("chart.more", count=40 - shown))

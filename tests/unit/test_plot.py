"""gridgov.plot: the figures of a simulated policy, on hand-made results.

Each figure is checked for its axes, lines, styles and labels against the figures it was
given; and plotting shows nothing, saves nothing and changes no global matplotlib state.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import gridgov.plot
from gridgov import FOUR_TIER, THREE_TIER
from gridgov.errors import InvalidValueError
from gridgov.metrics import CLOSING_RATE, evaluate, tally
from gridgov.plot import (
    CJK_FONTS,
    backlog_figure,
    cjk_font,
    comparison_figure,
    escalations_figure,
    visit_coverage_figure,
)
from gridgov.reasons import Reason
from gridgov.simulation.results import (
    Comparison,
    ComparisonLine,
    DayFigures,
    SimulationResult,
)

START = date(2026, 11, 2)
TIERS = ("community", "grid", "micro_grid")


def _day(n: int, backlog: dict[str, int], escalations: dict[str, int], due: int, made: int,
         working: bool = True) -> DayFigures:
    return DayFigures(
        day=START + timedelta(days=n), working=working, new_issues=4, closed=1, backlog=backlog,
        escalations=escalations, visits_due=due, visits_made=made, visits_missed=due - made,
        hours_used=6.0, hours_available=8.0,
    )


def _result(name: str, grid_backlog: list[int], grid_escalations: list[int],
            made: list[int]) -> SimulationResult:
    daily = [
        _day(
            n,
            {"community": 0, "grid": b, "micro_grid": 2, "beyond": n},
            {"community": 0, "grid": e, "micro_grid": 1},
            due=2 if n != 1 else 0,
            made=m,
        )
        for n, (b, e, m) in enumerate(zip(grid_backlog, grid_escalations, made, strict=True))
    ]
    counted = tally([], [CLOSING_RATE])
    return SimulationResult(
        name=name, start=START, days=len(daily), daily=daily, tiers=TIERS,
        escalations_by_tier={"community": 0, "grid": sum(grid_escalations),
                             "micro_grid": len(daily)},
        escalations_by_trigger={"resolve_overdue": sum(grid_escalations) + len(daily)},
        queues={}, missed_visits=sum(d.visits_missed for d in daily),
        utilisation={"grid": 0.75}, cases=4 * len(daily), tally=counted,
        table=evaluate(counted, [CLOSING_RATE]),
    )


BASE = _result("five", [1, 2, 3], [0, 1, 2], [2, 0, 1])
VARIANT = _result("three", [2, 4, 1], [1, 2, 3], [2, 0, 0])
LINE = ComparisonLine(measure="missed_visits", subject=None, base=1, variant=2,
                      reason=Reason(zh="漏访 1 → 2", en="missed visits 1 → 2"))
COMPARISON = Comparison(seed=1, base=BASE, variant=VARIANT, lines=[LINE])


def _lines(figure: Figure, panel: int = 0) -> list[tuple[str, str, list[float]]]:
    return [
        (str(line.get_label()), str(line.get_linestyle()), [float(y) for y in line.get_ydata()])
        for line in figure.axes[panel].get_lines()
    ]


# -- backlog ---------------------------------------------------------------------------------


def test_backlog_of_one_run_has_a_line_per_tier_that_held_cases() -> None:
    figure = backlog_figure(BASE, chinese=False)
    assert isinstance(figure, Figure)
    assert isinstance(figure.canvas, FigureCanvasAgg)
    # "community" never held a case: left out; the tiers top first, "beyond" last
    assert _lines(figure) == [
        ("grid", "-", [1.0, 2.0, 3.0]),
        ("micro_grid", "-", [2.0, 2.0, 2.0]),
        ("beyond", "-", [0.0, 1.0, 2.0]),
    ]
    axes = figure.axes[0]
    assert axes.get_title() == "Backlog at day end"
    assert axes.get_ylabel() == "Open cases"
    assert axes.get_xlabel() == "Day"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "grid", "micro_grid", "beyond"
    ]


def test_backlog_of_a_comparison_draws_base_solid_and_variant_dashed_in_one_colour() -> None:
    figure = backlog_figure(COMPARISON, chinese=False)
    lines = figure.axes[0].get_lines()
    assert _lines(figure)[:2] == [
        ("grid · five", "-", [1.0, 2.0, 3.0]),
        ("grid · three", "--", [2.0, 4.0, 1.0]),
    ]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    # the legend: a colour per tier, then a line style per run
    legend = figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "grid", "micro_grid", "beyond", "five", "three"
    ]
    assert [h.get_linestyle() for h in legend.legend_handles][-2:] == ["-", "--"]
    assert len(lines) == 6  # three tiers (and beyond) × two runs
    assert [d.toordinal() for d in lines[0].get_xdata()] == [
        d.day.toordinal() for d in BASE.daily
    ]


def test_runs_of_the_same_name_are_called_base_and_variant() -> None:
    same = Comparison(seed=1, base=BASE, variant=_result("five", [0, 0, 0], [0, 0, 0],
                                                          [2, 0, 2]), lines=[])
    labels = [label for label, _, _ in _lines(backlog_figure(same, chinese=False))]
    assert labels[:2] == ["grid · base", "grid · variant"]


def test_a_name_the_font_cannot_draw_gives_way_to_a_plain_one() -> None:
    chinese = Comparison(seed=1, base=_result("五个工作日", [1, 1, 1], [0, 0, 0], [2, 0, 2]),
                         variant=VARIANT, lines=[])
    labels = [label for label, _, _ in _lines(backlog_figure(chinese, chinese=False))]
    assert labels[:2] == ["grid · base", "grid · variant"]


def test_tiers_are_labelled_by_the_scheme_top_first() -> None:
    labels = [label for label, _, _ in _lines(backlog_figure(BASE, chinese=False,
                                                             tiers=THREE_TIER))]
    assert labels == ["Grid", "Micro-grid", "beyond"]


def test_the_axes_given_is_drawn_into_and_its_figure_returned() -> None:
    outer = Figure()
    left, right = outer.subplots(1, 2)
    assert backlog_figure(BASE, ax=right, chinese=False) is outer
    assert not left.get_lines()
    assert len(right.get_lines()) == 3


def test_something_else_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="'run' must be a SimulationResult or a Comparison"):
        backlog_figure(BASE.daily, chinese=False)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'tiers' must be a TierScheme"):
        comparison_figure(BASE, tiers=TIERS)  # type: ignore[arg-type]


# -- escalations -----------------------------------------------------------------------------


def test_escalations_add_up_day_by_day_by_the_tier_they_left() -> None:
    figure = escalations_figure(COMPARISON, chinese=False)
    assert _lines(figure) == [
        ("grid · five", "-", [0.0, 1.0, 3.0]),
        ("grid · three", "--", [1.0, 3.0, 6.0]),
        ("micro_grid · five", "-", [1.0, 2.0, 3.0]),
        ("micro_grid · three", "--", [1.0, 2.0, 3.0]),
    ]
    assert figure.axes[0].get_title() == "Escalations (cumulative)"


def test_escalations_per_day() -> None:
    figure = escalations_figure(BASE, chinese=False, cumulative=False)
    assert _lines(figure) == [("grid", "-", [0.0, 1.0, 2.0]), ("micro_grid", "-", [1.0] * 3)]
    assert figure.axes[0].get_title() == "Escalations per day"


def test_the_last_point_of_each_cumulative_line_is_the_runs_total() -> None:
    for line in escalations_figure(BASE, chinese=False).axes[0].get_lines():
        assert line.get_ydata()[-1] == BASE.escalations_by_tier[str(line.get_label())]


# -- visits ----------------------------------------------------------------------------------


def test_days_off_have_no_coverage_point() -> None:
    days = [_day(n, {}, {}, due=3, made=3 if n != 1 else 0, working=n != 1) for n in range(3)]
    counted = tally([], [CLOSING_RATE])
    result = SimulationResult(
        name="x", start=START, days=3, daily=days, tiers=TIERS, escalations_by_tier={},
        escalations_by_trigger={}, queues={}, missed_visits=0, utilisation={}, cases=12,
        tally=counted, table=evaluate(counted, [CLOSING_RATE]),
    )
    figure = visit_coverage_figure(result, chinese=False)
    assert _lines(figure) == [("visits", "-", [100.0, 100.0])]
    assert figure.axes[0].get_ylabel() == "Made / due % (working days)"


def test_visit_coverage_is_made_over_due_on_days_with_visits_due() -> None:
    figure = visit_coverage_figure(COMPARISON, chinese=False)
    # the second day has no visit due: no point
    assert _lines(figure) == [("five", "-", [100.0, 50.0]), ("three", "--", [100.0, 0.0])]
    xs = [d.toordinal() for d in figure.axes[0].get_lines()[0].get_xdata()]
    assert xs == [START.toordinal(), (START + timedelta(days=2)).toordinal()]
    axes = figure.axes[0]
    assert axes.get_title() == "Visit coverage"
    assert axes.get_ylim() == (0.0, 105.0)


# -- the three panels ------------------------------------------------------------------------


def test_comparison_figure_has_the_three_panels_sharing_the_day_axis() -> None:
    figure = comparison_figure(COMPARISON, chinese=False, tiers=FOUR_TIER)
    assert [ax.get_title() for ax in figure.axes] == [
        "Backlog at day end", "Escalations (cumulative)", "Visit coverage"
    ]
    assert figure.get_suptitle() == "Base (solid) vs variant (dashed)"
    assert [ax.get_xlabel() for ax in figure.axes] == ["", "", "Day"]
    top, _, bottom = figure.axes
    assert top.get_shared_x_axes().joined(top, bottom)
    assert _lines(figure, 1) == _lines(escalations_figure(COMPARISON, chinese=False,
                                                          tiers=FOUR_TIER))


def test_comparison_figure_draws_into_the_figure_given() -> None:
    given = Figure(figsize=(4, 5))
    assert comparison_figure(BASE, chinese=False, figure=given) is given
    assert len(given.axes) == 3
    assert given.get_suptitle() == ""  # one run: nothing compared


# -- Chinese first, or English only ----------------------------------------------------------


def test_cjk_font_is_one_of_the_known_families_or_none() -> None:
    found = cjk_font()
    assert found is None or found in CJK_FONTS


def test_labels_are_chinese_first_only_with_a_chinese_font() -> None:
    title = backlog_figure(BASE).axes[0].get_title()
    if cjk_font() is None:
        assert title == "Backlog at day end"
    else:
        assert title == "日末积案 Backlog at day end"


def test_with_a_chinese_font_labels_are_chinese_first_in_that_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pretend the machine has a CJK font (nothing is drawn, so no glyph is looked up)
    monkeypatch.setattr(gridgov.plot, "cjk_font", lambda: "Noto Sans CJK SC")
    figure = comparison_figure(COMPARISON, tiers=THREE_TIER)
    top = figure.axes[0]
    assert top.get_title() == "日末积案 Backlog at day end"
    assert top.title.get_fontfamily() == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert figure.get_suptitle() == "基线（实线）对比方案（虚线） Base (solid) vs variant (dashed)"
    assert [t.get_text() for t in top.get_legend().get_texts()] == [
        "网格 Grid", "微网格 Micro-grid", "外部 beyond", "five", "three"
    ]
    # a Chinese policy name is kept when a font can draw it
    chinese = Comparison(seed=1, base=_result("五日", [1, 1, 1], [0, 0, 0], [2, 0, 2]),
                         variant=_result("三日", [1, 1, 1], [0, 0, 0], [2, 0, 2]), lines=[])
    legend = backlog_figure(chinese, tiers=THREE_TIER).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()][-2:] == ["五日", "三日"]
    # and chinese=False is English wherever you are
    assert backlog_figure(BASE, chinese=False).axes[0].get_title() == "Backlog at day end"


def test_drawing_never_warns_of_a_missing_glyph() -> None:
    # warnings are errors in this suite: a missing glyph would fail the draw
    figure = comparison_figure(COMPARISON, tiers=FOUR_TIER)
    figure.canvas.draw()


# -- pure: nothing shown, saved or changed ---------------------------------------------------


@pytest.fixture
def rc_snapshot() -> Iterator[dict[str, object]]:
    before = dict(matplotlib.rcParams)
    yield before
    assert dict(matplotlib.rcParams) == before


def test_no_global_state_is_changed(rc_snapshot: dict[str, object], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    backend = matplotlib.get_backend()
    comparison_figure(COMPARISON).canvas.draw()
    assert dict(matplotlib.rcParams) == rc_snapshot
    assert matplotlib.get_backend() == backend
    assert list(tmp_path.iterdir()) == []  # nothing saved
    assert "matplotlib.pyplot" not in sys.modules or not _pyplot_figures()


def _pyplot_figures() -> list[int]:
    import matplotlib.pyplot as plt

    return list(plt.get_fignums())


def test_import_gridgov_does_not_import_matplotlib() -> None:
    code = "import sys, gridgov; print('matplotlib' in sys.modules, 'gridgov.plot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_the_plot_module_does_not_import_pyplot() -> None:
    code = "import sys, gridgov.plot; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

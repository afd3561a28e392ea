"""The street office figures and table of docs/simulation.md ("Simulating a policy").

The docs build draws the page's figure with ``docs/figures/simulation.py``; these tests run
the same module on the same comparison (``street_office_policy.comparison(days=60)``): the
figure has the panels and lines the page describes, and the table on the page is the one the
comparison gives (after a change to the simulator, regenerate it with
``python docs/figures/simulation.py --write``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "simulation.md"
sys.path.insert(0, str(ROOT / "docs" / "figures"))

import simulation  # noqa: E402  (docs/figures/simulation.py)
from matplotlib.figure import Figure  # noqa: E402


@pytest.fixture(scope="module")
def figure() -> Figure:
    return simulation.draw()


def test_the_page_draws_the_figure_of_this_module() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert "from simulation import draw" in text
    assert ".. plot::" in text


def test_the_figure_has_the_three_panels(figure: Figure) -> None:
    assert len(figure.axes) == 3
    assert all(axes.get_lines() for axes in figure.axes)


def test_each_tier_drawn_has_a_solid_base_and_a_dashed_variant(figure: Figure) -> None:
    comparison = simulation.street_office()
    backlog, escalations, _ = figure.axes
    for axes in (backlog, escalations):
        styles = [line.get_linestyle() for line in axes.get_lines()]
        assert styles == ["-", "--"] * (len(styles) // 2)
        assert len(axes.get_lines()[0].get_xdata()) == comparison.base.days == 60


def test_the_escalation_lines_end_at_the_runs_totals(figure: Figure) -> None:
    comparison = simulation.street_office()
    ends = sum(float(line.get_ydata()[-1]) for line in figure.axes[1].get_lines())
    totals = sum(
        sum(run.escalations_by_tier.values()) for run in (comparison.base, comparison.variant)
    )
    assert ends == totals > 0


def test_the_table_on_the_page_is_the_comparisons() -> None:
    table = simulation.table()
    assert len(table.splitlines()) == 2 + len(simulation.street_office().lines)
    assert table in PAGE.read_text(encoding="utf-8"), (
        "the table on docs/simulation.md is not the scenario's: regenerate it with "
        "`python docs/figures/simulation.py --write`"
    )

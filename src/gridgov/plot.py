"""Figures of a simulated policy: backlog, escalations and visit coverage over time.

The optional extra ``gridgov[plot]`` (matplotlib); ``import gridgov`` never imports this
module.  Each function takes a :class:`~gridgov.simulation.SimulationResult` or a
:class:`~gridgov.simulation.Comparison` (base drawn solid, variant dashed, one colour per tier)
and returns a :class:`matplotlib.figure.Figure` on the Agg canvas.  Nothing is shown or
saved, and no global matplotlib state is changed (no ``pyplot``, no ``rcParams``): the
caller saves the figure where it likes, e.g. ``figure.savefig("backlog.png")``.

Titles and labels are Chinese first, then English (``积案 Backlog``), when matplotlib knows
a font with Chinese glyphs (:func:`cjk_font`: Noto Sans CJK, Source Han Sans, WenQuanYi …);
without one they are in English only, and a name from the data that the default font cannot
draw (a Chinese setup name) gives way to a plain one (``base``, ``variant``), so drawing
never warns of a missing glyph.  Pass ``chinese=False`` to choose English wherever you are.
Tiers are labelled by their codes (``grid``); pass the grid's scheme as ``tiers=`` to label
them by their names (``网格 Grid``).

Example:
    >>> from datetime import date
    >>> import attrs
    >>> from gridgov.plot import comparison_figure
    >>> from gridgov.simulation import compare, sample_setup
    >>> base = sample_setup()
    >>> tighter = attrs.evolve(base, name="tighter")
    >>> figure = comparison_figure(compare(base, tighter, start=date(2026, 11, 2), days=10,
    ...                                    seed=1), chinese=False)
    >>> [ax.get_title() for ax in figure.axes]
    ['Backlog at day end', 'Escalations (cumulative)', 'Visit coverage']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Literal

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D

import gridgov._validators as v
from gridgov.simulation.results import BEYOND, Comparison, DayFigures, SimulationResult
from gridgov.tiers import TierScheme

__all__ = [
    "CJK_FONTS",
    "backlog_figure",
    "cjk_font",
    "comparison_figure",
    "escalations_figure",
    "visit_coverage_figure",
]

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Heiti SC",
    "AR PL UMing CN",
)
"""The font families :func:`cjk_font` looks for, in order of preference."""

_Style = Literal["-", "--"]
_SOLID: _Style = "-"
_DASHED: _Style = "--"
_COLOURS = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9")


def cjk_font() -> str | None:
    """The first family of :data:`CJK_FONTS` that matplotlib's font list holds, or ``None``.

    Read from the fonts matplotlib found when it was imported; nothing is changed.

    Example:
        >>> from gridgov.plot import CJK_FONTS, cjk_font
        >>> found = cjk_font()
        >>> found is None or found in CJK_FONTS
        True
    """
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


class _Words:
    """The words of one figure: Chinese first with a Chinese font, else English only."""

    def __init__(self, chinese: bool | None, tiers: TierScheme | None) -> None:
        if tiers is not None:
            v.check_instance("tiers", tiers, TierScheme)
        self.font = None if chinese is False else cjk_font()
        self.chinese = self.font is not None
        self.tiers = tiers
        self._default = font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))

    def __call__(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.chinese else en

    def drawable(self, text: str) -> bool:
        """Whether the figure's fonts have a glyph for every character of *text*."""
        return self.chinese or all(self._default.get_char_index(ord(c)) for c in text)

    def tier(self, code: str) -> str:
        if code == BEYOND:
            return self("外部", "beyond")
        if self.tiers is not None and code in self.tiers:
            tier = self.tiers[code]
            return self(tier.zh, tier.label)
        return code  # a code is plain ASCII

    def text(self) -> dict[str, Any]:
        """Keyword arguments for a text artist: the Chinese font, if one is used."""
        return {"fontfamily": [self.font, "DejaVu Sans"]} if self.font else {}


def _runs(
    run: SimulationResult | Comparison, words: _Words
) -> list[tuple[str, _Style, SimulationResult]]:
    """(legend name, line style, result) of each run drawn: one result, or base and variant
    (named by their setups' names when those differ and can be drawn)."""
    v.check_instance("run", run, (SimulationResult, Comparison))
    if isinstance(run, Comparison):
        named = run.base.name != run.variant.name and all(
            words.drawable(r.name) for r in (run.base, run.variant)
        )
        return [
            (run.base.name if named else words("基线", "base"), _SOLID, run.base),
            (run.variant.name if named else words("方案", "variant"), _DASHED, run.variant),
        ]
    return [("", _SOLID, run)]


def _keys(runs: Iterable[SimulationResult], field: Callable[[DayFigures], Mapping[str, int]],
          tiers: TierScheme | None) -> list[str]:
    """The tiers drawn: those of the runs top first, any other key seen, then ``beyond``;
    a key no day of any run holds above zero is left out."""
    runs = list(runs)
    order: dict[str, None] = {}
    for result in runs:
        order.update(dict.fromkeys(tiers.names if tiers is not None else result.tiers))
    for result in runs:
        for day in result.daily:
            order.update(dict.fromkeys(k for k in field(day) if k != BEYOND))
    order[BEYOND] = None
    return [k for k in order if any(field(d).get(k, 0) for r in runs for d in r.daily)]


def _canvas(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A new figure with one axes on the Agg canvas, or the given axes and its figure."""
    if ax is None:
        figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(figure)
        return figure, figure.add_subplot()
    holder: Figure | SubFigure | None = ax.figure
    while isinstance(holder, SubFigure):
        holder = holder.figure
    if not isinstance(holder, Figure):  # pragma: no cover - an axes always has a figure
        raise TypeError("'ax' must belong to a figure (got an axes without one).")
    return holder, ax


def _finish(ax: Axes, words: _Words, title: str, ylabel: str,
            handles: list[Line2D] | None = None) -> None:
    """Title, labels, date ticks, and a legend to the right of the axes: *handles*, or the
    lines' own labels."""
    text = words.text()
    ax.set_title(title, **text)
    ax.set_ylabel(ylabel, **text)
    ax.set_xlabel(words("日期", "Day"), **text)
    ax.grid(True, alpha=0.3)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]  # (matplotlib.dates is untyped)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if ax.get_lines():
        prop = font_manager.FontProperties(family=text.get("fontfamily"), size="small")
        where: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0),
                                 "borderaxespad": 0.0, "prop": prop}
        if handles is None:
            ax.legend(**where)
        else:
            ax.legend(handles=handles, **where)


def _days(days: Iterable[date]) -> Any:
    """Dates for the x axis (matplotlib's date converter takes them; its stubs list numbers)."""
    return list(days)


def _running(values: Iterable[int]) -> Iterator[int]:
    total = 0
    for value in values:
        total += value
        yield total


def _by_tier(
    run: SimulationResult | Comparison,
    ax: Axes | None,
    words: _Words,
    field: Callable[[DayFigures], Mapping[str, int]],
    cumulative: bool,
) -> tuple[Figure, Axes, list[Line2D]]:
    """The lines of one field per tier; and the legend's entries: a colour per tier, then
    (for a comparison) a line style per run."""
    figure, axes = _canvas(ax, (8.0, 4.0))
    runs = _runs(run, words)
    legend: list[Line2D] = []
    for n, key in enumerate(_keys([r for _, _, r in runs], field, words.tiers)):
        colour = _COLOURS[n % len(_COLOURS)]
        legend.append(Line2D([], [], color=colour, label=words.tier(key)))
        for name, style, result in runs:
            values = [field(day).get(key, 0) for day in result.daily]
            axes.plot(
                _days(day.day for day in result.daily),
                list(_running(values)) if cumulative else values,
                linestyle=style,
                color=colour,
                label=f"{words.tier(key)} · {name}" if name else words.tier(key),
            )
    if len(runs) > 1:
        legend += [Line2D([], [], color="grey", linestyle=style, label=name)
                   for name, style, _ in runs]
    return figure, axes, legend


def backlog_figure(
    run: SimulationResult | Comparison,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
) -> Figure:
    """Open cases at each day's end, one line per tier and one for ``beyond`` (the external
    body); tiers that never held a case are left out.

    A comparison draws its base solid and its variant dashed in the same colour.  With *ax*,
    draws into that axes and returns its figure.

    Example:
        >>> from datetime import date
        >>> import random
        >>> from gridgov.plot import backlog_figure
        >>> from gridgov.simulation import sample_setup, simulate
        >>> result = simulate(sample_setup(), start=date(2026, 11, 2), days=10,
        ...                   rng=random.Random(1))
        >>> figure = backlog_figure(result, chinese=False)
        >>> lines = figure.axes[0].get_lines()
        >>> [list(line.get_ydata()) for line in lines] == [
        ...     list(result.backlog(line.get_label())) for line in lines]
        True
    """
    words = _Words(chinese, tiers)
    figure, axes, legend = _by_tier(run, ax, words, lambda day: day.backlog, cumulative=False)
    _finish(axes, words, words("日末积案", "Backlog at day end"), words("件", "Open cases"),
            legend)
    return figure


def escalations_figure(
    run: SimulationResult | Comparison,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
    cumulative: bool = True,
) -> Figure:
    """Escalations by the tier they left, added up day by day (or, with
    ``cumulative=False``, per day); tiers nothing left are left out.

    Example:
        >>> from datetime import date
        >>> import random
        >>> from gridgov.plot import escalations_figure
        >>> from gridgov.simulation import sample_setup, simulate
        >>> result = simulate(sample_setup(), start=date(2026, 11, 2), days=10,
        ...                   rng=random.Random(1))
        >>> axes = escalations_figure(result, chinese=False).axes[0]
        >>> axes.get_title()
        'Escalations (cumulative)'
        >>> all(line.get_ydata()[-1] == result.escalations_by_tier[line.get_label()]
        ...     for line in axes.get_lines())
        True
    """
    words = _Words(chinese, tiers)
    figure, axes, legend = _by_tier(run, ax, words, lambda day: day.escalations, cumulative)
    title = (words("累计升级", "Escalations (cumulative)") if cumulative
             else words("每日升级", "Escalations per day"))
    _finish(axes, words, title, words("件", "Cases escalated"), legend)
    return figure


def visit_coverage_figure(
    run: SimulationResult | Comparison,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
) -> Figure:
    """The share of each working day's due visits that were made, in per cent, one line per
    run.

    Days with no visit due are left out, and so are days off: nobody visits on them, and
    the visits due then are still due on the next working day (a visit is missed only when
    its window closes — :attr:`~gridgov.simulation.DayFigures.visits_missed`).

    Example:
        >>> from datetime import date
        >>> import random
        >>> from gridgov.plot import visit_coverage_figure
        >>> from gridgov.simulation import sample_setup, simulate
        >>> result = simulate(sample_setup(), start=date(2026, 11, 2), days=10,
        ...                   rng=random.Random(1))
        >>> axes = visit_coverage_figure(result, chinese=False).axes[0]
        >>> axes.get_title(), axes.get_ylabel()
        ('Visit coverage', 'Made / due % (working days)')
        >>> [float(y) for y in axes.get_lines()[0].get_ydata()] == [
        ...     100 * d.visits_made / d.visits_due for d in result.daily
        ...     if d.working and d.visits_due]
        True
    """
    words = _Words(chinese, None)
    figure, axes = _canvas(ax, (8.0, 4.0))
    for n, (name, style, result) in enumerate(_runs(run, words)):
        due = [day for day in result.daily if day.working and day.visits_due > 0]
        axes.plot(
            _days(day.day for day in due),
            [100.0 * day.visits_made / day.visits_due for day in due],
            linestyle=style,
            color=_COLOURS[n],
            marker=".",
            label=name or words("走访", "visits"),
        )
    axes.set_ylim(0.0, 105.0)
    _finish(axes, words, words("走访完成率", "Visit coverage"), words("已访/应访 %（工作日）", "Made / due % (working days)"))
    return figure


def comparison_figure(
    run: SimulationResult | Comparison,
    *,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
    figure: Figure | None = None,
) -> Figure:
    """The three panels in one figure, one above the other and sharing the day axis:
    backlog, cumulative escalations and visit coverage.

    With *figure*, draws into it (for example a ``pyplot`` figure a documentation tool
    collects); otherwise into a new 8 × 10 inch figure.

    Example:
        >>> from datetime import date
        >>> import attrs
        >>> from gridgov.plot import comparison_figure
        >>> from gridgov.simulation import compare, sample_setup
        >>> base = sample_setup()
        >>> comparison = compare(base, attrs.evolve(base, name="tighter"),
        ...                      start=date(2026, 11, 2), days=10, seed=1)
        >>> figure = comparison_figure(comparison, chinese=False)
        >>> len(figure.axes), figure.get_suptitle()
        (3, 'Base (solid) vs variant (dashed)')
    """
    words = _Words(chinese, tiers)
    chosen = words.chinese
    if figure is None:
        figure = Figure(figsize=(8.0, 10.0), layout="constrained")
        FigureCanvasAgg(figure)
    top, middle, bottom = figure.subplots(3, 1, sharex=True)
    backlog_figure(run, ax=top, chinese=chosen, tiers=tiers)
    escalations_figure(run, ax=middle, chinese=chosen, tiers=tiers)
    visit_coverage_figure(run, ax=bottom, chinese=chosen)
    for axes in (top, middle):
        axes.set_xlabel("")
    if isinstance(run, Comparison):
        title = words("基线（实线）对比方案（虚线）", "Base (solid) vs variant (dashed)")
        figure.suptitle(title, **words.text())
    return figure

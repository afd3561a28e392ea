"""Figures of a simulated policy: backlog, escalations and visit coverage over time.

The optional extra ``gridgov[plot]`` (matplotlib); ``import gridgov`` never imports this
module.  Each function takes a :class:`~gridgov.simulate.SimulationResult` or a
:class:`~gridgov.simulate.Comparison` (base drawn solid, variant dashed, one colour per tier)
and returns a :class:`matplotlib.figure.Figure` on the Agg canvas.  Nothing is shown or
saved, and no global matplotlib state is read or changed (no ``pyplot``, no ``rcParams``):
the caller saves the figure where it likes, e.g. ``figure.savefig("backlog.png")``.

Titles and labels are Chinese first, then English (``积案 Backlog``), when matplotlib knows
a font with Chinese glyphs (:func:`cjk_font`: Noto Sans CJK, Source Han Sans, WenQuanYi …);
without one they are in English only, so drawing never warns of a missing glyph.  Pass
``chinese=False`` (or ``True``) to choose.  Tiers are labelled by their names in the data;
pass the grid's ``tiers=`` scheme to label them by their English and Chinese labels, top
tier first.

Example:
    >>> from datetime import date
    >>> from gridgov.plot import comparison_figure
    >>> from gridgov.simulate import DayFigures, SimulationResult  # doctest: +SKIP
    >>> figure = comparison_figure(sample_comparison(), chinese=False)
    >>> [ax.get_title() for ax in figure.axes]
    ['Backlog at day end', 'Escalations (cumulative)', 'Visit coverage']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure, SubFigure

from gridgov.simulate import Comparison, DayFigures, SimulationResult
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

_BASE_STYLE = "-"
_VARIANT_STYLE = "--"
_COLOURS = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9")

Run = SimulationResult | Comparison


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
    """The labels of one figure, Chinese first when a Chinese font is used."""

    def __init__(self, chinese: bool | None, tiers: TierScheme | None) -> None:
        self.font = cjk_font() if chinese is None or chinese else None
        self.chinese = self.font is not None if chinese is None else chinese
        self.tiers = tiers

    def __call__(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.chinese else en

    def tier(self, name: str) -> str:
        if name == "beyond":
            return self("外部", "beyond")
        if self.tiers is not None and name in self.tiers:
            tier = self.tiers[name]
            return self(tier.zh, tier.label)
        return name

    def text(self) -> dict[str, object]:
        """Keyword arguments for a text artist: the Chinese font, if one is used."""
        return {"fontfamily": [self.font, "DejaVu Sans"]} if self.chinese and self.font else {}


def _runs(run: Run, words: _Words) -> list[tuple[str, str, SimulationResult]]:
    """(label, line style, result) for each run drawn: one result, or base and variant."""
    if isinstance(run, Comparison):
        return [
            (words("基线", "base"), _BASE_STYLE, run.base),
            (words("方案", "variant"), _VARIANT_STYLE, run.variant),
        ]
    if isinstance(run, SimulationResult):
        return [("", _BASE_STYLE, run)]
    raise TypeError(
        f"'run' must be a SimulationResult or a Comparison (got {type(run).__name__})."
    )


def _keys(results: Sequence[SimulationResult], field: Callable[[DayFigures], Mapping[str, int]],
          tiers: TierScheme | None) -> list[str]:
    """The keys (tiers) seen on any day of any run: top tier first, then as first seen."""
    seen: dict[str, None] = {}
    for result in results:
        for day in result.daily:
            seen.update(dict.fromkeys(field(day)))
    order = {name: i for i, name in enumerate(tiers.names)} if tiers is not None else {}
    first = list(seen)
    return sorted(first, key=lambda k: (order.get(k, len(order)), first.index(k)))


def _canvas(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A new figure with one axes on the Agg canvas, or the given axes and its figure."""
    if ax is None:
        figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(figure)
        return figure, figure.add_subplot()
    return _root(ax), ax


def _root(ax: Axes) -> Figure:
    holder: Figure | SubFigure | None = ax.figure
    while isinstance(holder, SubFigure):
        holder = holder.figure
    if holder is None:  # pragma: no cover - an axes always belongs to a figure
        raise ValueError("'ax' must belong to a figure (got an axes without one).")
    return holder


def _dates(ax: Axes) -> None:
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _finish(ax: Axes, words: _Words, title: str, ylabel: str) -> None:
    text = words.text()
    ax.set_title(title, **text)  # type: ignore[arg-type]
    ax.set_ylabel(ylabel, **text)  # type: ignore[arg-type]
    ax.set_xlabel(words("日期", "Day"), **text)  # type: ignore[arg-type]
    ax.grid(True, alpha=0.3)
    if ax.get_lines():
        family = text.get("fontfamily")
        ax.legend(loc="upper left", prop=font_manager.FontProperties(family=family, size="small"))
    _dates(ax)


def _label(tier: str, run_label: str) -> str:
    return f"{tier} · {run_label}" if run_label else tier


def _by_tier(
    run: Run,
    ax: Axes | None,
    words: _Words,
    field: Callable[[DayFigures], Mapping[str, int]],
    cumulative: bool,
) -> tuple[Figure, Axes]:
    figure, axes = _canvas(ax, (8.0, 4.0))
    runs = _runs(run, words)
    keys = _keys([result for _, _, result in runs], field, words.tiers)
    for n, key in enumerate(keys):
        colour = _COLOURS[n % len(_COLOURS)]
        for run_label, style, result in runs:
            days = [day.day for day in result.daily]
            values = list(_running(field(day).get(key, 0) for day in result.daily)) if (
                cumulative
            ) else [field(day).get(key, 0) for day in result.daily]
            axes.plot(days, values, linestyle=style, color=colour,
                      label=_label(words.tier(key), run_label))
    return figure, axes


def _running(values: Iterator[int] | Sequence[int]) -> Iterator[int]:
    total = 0
    for value in values:
        total += value
        yield total


def backlog_figure(
    run: Run,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
) -> Figure:
    """Open cases at each day's end, one line per tier (and ``beyond``, the external body).

    A comparison draws its base solid and its variant dashed in the same colour.  With *ax*,
    draws into that axes and returns its figure.

    Example:
        >>> from gridgov.plot import backlog_figure
        >>> figure = backlog_figure(sample_comparison(), chinese=False)
        >>> [line.get_label() for line in figure.axes[0].get_lines()]
        ['grid · base', 'grid · variant', 'community · base', 'community · variant']
        >>> figure.axes[0].get_lines()[1].get_linestyle()
        '--'
    """
    words = _Words(chinese, tiers)
    figure, axes = _by_tier(run, ax, words, lambda day: day.backlog, cumulative=False)
    _finish(axes, words, words("日末积案", "Backlog at day end"), words("件", "Open cases"))
    return figure


def escalations_figure(
    run: Run,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
    cumulative: bool = True,
) -> Figure:
    """Escalations by the tier they left, added up day by day (or per day).

    Example:
        >>> from gridgov.plot import escalations_figure
        >>> figure = escalations_figure(sample_comparison(), chinese=False)
        >>> [list(line.get_ydata()) for line in figure.axes[0].get_lines()]
        [[0, 1, 3], [1, 3, 6]]
        >>> escalations_figure(sample_comparison(), chinese=False,
        ...                    cumulative=False).axes[0].get_title()
        'Escalations per day'
    """
    words = _Words(chinese, tiers)
    figure, axes = _by_tier(run, ax, words, lambda day: day.escalations, cumulative)
    title = words("累计升级", "Escalations (cumulative)") if cumulative else words(
        "每日升级", "Escalations per day"
    )
    _finish(axes, words, title, words("件", "Cases escalated"))
    return figure


def visit_coverage_figure(
    run: Run,
    *,
    ax: Axes | None = None,
    chinese: bool | None = None,
) -> Figure:
    """The share of the day's due visits that were made, in per cent (days with none due are
    left out), one line per run.

    Example:
        >>> from gridgov.plot import visit_coverage_figure
        >>> figure = visit_coverage_figure(sample_comparison(), chinese=False)
        >>> [list(line.get_ydata()) for line in figure.axes[0].get_lines()]
        [[100.0, 50.0], [100.0, 0.0]]
    """
    words = _Words(chinese, None)
    figure, axes = _canvas(ax, (8.0, 4.0))
    for n, (run_label, style, result) in enumerate(_runs(run, words)):
        due = [day for day in result.daily if day.visits_due > 0]
        axes.plot(
            [day.day for day in due],
            [100.0 * day.visits_made / day.visits_due for day in due],
            linestyle=style,
            color=_COLOURS[n] if run_label else _COLOURS[0],
            marker=".",
            label=run_label or words("走访", "visits"),
        )
    axes.set_ylim(0, 105)
    _finish(axes, words, words("走访完成率", "Visit coverage"), words("已访/应访 %", "Made / due %"))
    return figure


def comparison_figure(
    run: Run,
    *,
    chinese: bool | None = None,
    tiers: TierScheme | None = None,
    figure: Figure | None = None,
) -> Figure:
    """The three panels in one figure, one above the other: backlog, cumulative escalations
    and visit coverage, sharing the day axis.

    With *figure*, draws into it (for example a figure of ``pyplot`` that a documentation
    tool collects); otherwise a new 8 × 10 inch figure.

    Example:
        >>> from gridgov.plot import comparison_figure
        >>> figure = comparison_figure(sample_comparison(), chinese=False)
        >>> len(figure.axes), figure.get_suptitle()
        (3, 'Base (solid) vs variant (dashed)')
    """
    words = _Words(chinese, tiers)
    if figure is None:
        figure = Figure(figsize=(8.0, 10.0), layout="constrained")
        FigureCanvasAgg(figure)
    top, middle, bottom = figure.subplots(3, 1, sharex=True)
    backlog_figure(run, ax=top, chinese=words.chinese, tiers=tiers)
    escalations_figure(run, ax=middle, chinese=words.chinese, tiers=tiers)
    visit_coverage_figure(run, ax=bottom, chinese=words.chinese)
    for axes in (top, middle):
        axes.set_xlabel("")
    if isinstance(run, Comparison):
        figure.suptitle(
            words("基线（实线）对比方案（虚线）", "Base (solid) vs variant (dashed)"),
            **words.text(),  # type: ignore[arg-type]
        )
    return figure


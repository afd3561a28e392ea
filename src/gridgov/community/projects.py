"""Funded projects: what a deliberation meeting adopts, how it is paid for, and how its
completion answers the wishes and cases behind it.

* A :class:`Project` is adopted from an agenda item a :class:`~gridgov.community.Deliberation`
  adopted (:meth:`Project.adopt`): its plan, its unit, the wishes and cases the item gathered.
* Its money — :class:`~gridgov.community.funding.Contribution` s and the matching rule — is
  checked by :func:`~gridgov.community.funding.check_funding` (:meth:`Project.funding`).
* :meth:`Project.complete` records one :class:`ProjectCompleted` event naming every wish
  and case it answers; :func:`resolve_cases` resolves the linked cases through the cases' own
  :class:`~gridgov.cases.Resolved` event, and :func:`open_wishes` leaves out the wishes a
  completed project answered.

Example:
    >>> from datetime import date
    >>> from gridgov.community import Contribution, FundingKind, MatchRule
    >>> p = Project(id="p1", name="38号院微改造", unit="mg38", budget=4_000_000, wishes=["w1"],
    ...             match=MatchRule(id="xfjy", name="幸福家园", partner="p-xingfu", cap=2_000_000))
    >>> p = p.receive(Contribution(id="c1", kind=FundingKind.RESIDENTS, source="hd38",
    ...                            amount=2_000_000, on=date(2026, 6, 20)))
    >>> p.funding().funded
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov.cases import Case, Resolved
from gridgov.community.deliberation import Deliberation
from gridgov.community.funding import (
    MAX_ENTRIES,
    MAX_FEN,
    Contribution,
    FundingCheck,
    MatchRule,
    check_funding,
    yuan,
)
from gridgov.community.rules import Outcome
from gridgov.community.wishes import Wish
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = [
    "Progress",
    "Project",
    "ProjectCompleted",
    "open_wishes",
    "resolve_cases",
]


@register
@attrs.frozen(kw_only=True)
class Progress:
    """A progress report on a project's works: the day, the share done, a note.

    Example:
        >>> from datetime import date
        >>> Progress(on=date(2026, 7, 1), percent=140)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'percent' of Progress must be an integer from 0 to 100 (got 140).
    """

    on: date = attrs.field(validator=v.plain_date)
    percent: int = attrs.field(validator=v.integer(0, 100))
    note: str = attrs.field(default="", validator=v.text, repr=False)


@register
@attrs.frozen(kw_only=True)
class ProjectCompleted:
    """竣工: a project was completed; the one event that answers its wishes and cases.

    Attributes:
        at: when (aware).
        actor: who recorded it.
        project: the project's id.
        wishes: the wishes it answers.
        cases: the cases it resolves (through each case's own ``Resolved`` event).
        summary: what was done.
        reason: the explanation: what was built, how it was paid for, what it answers.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ProjectCompleted(at=datetime(2026, 7, 14, 17, 0, tzinfo=CST), actor="m-38",
        ...                  project="p1", reason=Reason(zh="竣工", en="completed")).zh
        '竣工'
    """

    zh: ClassVar[str] = "竣工"
    label: ClassVar[str] = "completed"

    at: datetime = attrs.field(validator=v.aware)
    actor: str = attrs.field(validator=v.ident)
    project: str = attrs.field(validator=v.ident)
    reason: Reason = attrs.field(validator=v.is_a(Reason))
    wishes: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident)
    )
    cases: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident)
    )
    summary: str = attrs.field(default="", validator=v.text, repr=False)


def _bounded(limit: int) -> v.Validator:
    def run(instance: object, attribute: attrs.Attribute[tuple[object, ...]], value: object) -> None:
        if isinstance(value, tuple) and len(value) > limit:
            raise v.refuse(v.field_name(attribute), instance, f"at most {limit:,} items", len(value))

    return run


@register
@attrs.frozen(kw_only=True)
class Project:
    """A community project: its plan, budget, funding, progress and completion.

    Attributes:
        id, name, unit: the project, its name and the unit it is for.
        budget: in fen (at least 1).
        match: the matching rule, if a charity matches residents' contributions.
        deliberation, item: the meeting and agenda item that adopted it, if any.
        plan: the plan adopted.
        wishes, cases: the ids of the wishes and cases it answers.
        contributions: the money that came in.
        progress: the progress reports, in order (days and shares never go back).
        completed: the completion, once completed.

    Example:
        >>> from datetime import date
        >>> p = Project(id="p1", name="健身房焕新", unit="mg39", budget=3_000_000)
        >>> p = p.report(Progress(on=date(2026, 10, 12), percent=30, note="开工"))
        >>> p.report(Progress(on=date(2026, 10, 20), percent=20)).progress
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'percent' of Progress must be at least the last report's 30 (got 20).
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    budget: int = attrs.field(validator=v.integer(1, MAX_FEN))
    match: MatchRule | None = attrs.field(default=None, validator=v.optional(v.is_a(MatchRule)))
    deliberation: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    item: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    plan: str = attrs.field(default="", validator=v.text)
    wishes: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=[v.tuple_of(v.ident), _bounded(MAX_ENTRIES)]
    )
    cases: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=[v.tuple_of(v.ident), _bounded(MAX_ENTRIES)]
    )
    contributions: tuple[Contribution, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        validator=[v.tuple_of(v.holds(Contribution)), _bounded(MAX_ENTRIES)],
    )
    progress: tuple[Progress, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        validator=[v.tuple_of(v.holds(Progress)), _bounded(MAX_ENTRIES)],
    )
    completed: ProjectCompleted | None = attrs.field(
        default=None, validator=v.optional(v.is_a(ProjectCompleted))
    )

    def __attrs_post_init__(self) -> None:
        ids = [c.id for c in self.contributions]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise InvalidValueError(
                f"'contributions' of Project must record each once (got {dup!r} twice)."
            )
        for before, after in zip(self.progress, self.progress[1:], strict=False):
            _check_progress(before, after)
        done = self.completed
        if done is not None:
            if done.project != self.id or set(done.wishes) != set(self.wishes) or set(
                done.cases
            ) != set(self.cases):
                raise InvalidValueError(
                    f"'completed' of Project must be the completion of this project's 'id', "
                    f"answering its 'wishes' and 'cases' (got the completion of {done.project!r})."
                )
            short = self.funding().shortfall
            if short:
                raise InvalidValueError(
                    f"'completed' of Project must be None while the 'budget' is not funded by "
                    f"the 'contributions' and the 'match' ({yuan(short)} short)."
                )

    @classmethod
    def adopt(
        cls,
        meeting: Deliberation,
        item: str,
        *,
        id: str,
        name: str,
        budget: int,
        match: MatchRule | None = None,
    ) -> Project:
        """The project a meeting adopted on agenda item *item*: its plan, unit, wishes and
        cases from the item and the decision.

        Raises:
            InvalidTransitionError: unless the meeting adopted the item.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.community import (AgendaItem, Attendee, DecisionRule,
            ...     Deliberation, MeetingConvened, Vote, VoteCast, VotingClosed)
            >>> t = datetime(2026, 6, 24, 19, 0, tzinfo=CST)
            >>> m = Deliberation(events=[MeetingConvened(at=t, actor="m-38", meeting="y38",
            ...     name="38号院议事会", unit="mg38", attendees=[Attendee(member="m-38", name="吴刚")],
            ...     agenda=[AgendaItem(id="a1", title="微改造", unit="mg38", wishes=["w1", "w2"],
            ...                        proposal="小花园改造")], rule=DecisionRule(id="r", name="规则"))])
            >>> Project.adopt(m, "a1", id="p1", name="微改造", budget=100)
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidTransitionError: meeting 'y38' did not adopt item 'a1' (undecided); only an adopted item becomes a project.
            >>> m = m.apply(VoteCast(at=t, actor="m-38", item="a1", voter="m-38", vote=Vote.FOR))
            >>> m = m.apply(VotingClosed(at=t, actor="m-38", item="a1"))
            >>> p = Project.adopt(m, "a1", id="p1", name="微改造", budget=100)
            >>> p.unit, p.plan, p.wishes, p.deliberation
            ('mg38', '小花园改造', ('w1', 'w2'), 'y38')
        """
        if not isinstance(meeting, Deliberation):
            raise v.refuse("meeting", None, "a Deliberation", meeting)
        decision = meeting.decision(item)
        if decision is None or decision.outcome is not Outcome.ADOPTED:
            got = "undecided" if decision is None else decision.outcome.label
            raise InvalidTransitionError(
                f"meeting {meeting.id!r} did not adopt item {item!r} ({got}); only an adopted "
                "item becomes a project."
            )
        agenda = meeting.item(item)
        return cls(
            id=id,
            name=name,
            unit=agenda.unit,
            budget=budget,
            match=match,
            deliberation=meeting.id,
            item=item,
            plan=decision.plan,
            wishes=agenda.wishes,
            cases=agenda.cases,
        )

    def receive(self, contribution: Contribution) -> Project:
        """The project with *contribution* recorded.

        Raises:
            InvalidValueError: for a contribution id recorded already, or after completion.

        Example:
            >>> from datetime import date
            >>> from gridgov.community import Contribution, FundingKind
            >>> p = Project(id="p1", name="n", unit="mg38", budget=100)
            >>> c = Contribution(id="c1", kind=FundingKind.PUBLIC, source="jd", amount=100,
            ...                  on=date(2026, 6, 1))
            >>> p.receive(c).funding().funded
            True
            >>> p.receive(c).receive(c)
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidValueError: 'contributions' of Project must record each once (got 'c1' twice).
        """
        if not isinstance(contribution, Contribution):
            raise v.refuse("contribution", None, "a Contribution", contribution)
        self._not_completed("contribution")
        return attrs.evolve(self, contributions=(*self.contributions, contribution))

    def report(self, progress: Progress) -> Project:
        """The project with one more progress report (days and shares never go back).

        Example:
            >>> from datetime import date
            >>> Project(id="p1", name="n", unit="u", budget=1).report(
            ...     Progress(on=date(2026, 7, 1), percent=50)).percent
            50
        """
        if not isinstance(progress, Progress):
            raise v.refuse("progress", None, "a Progress", progress)
        self._not_completed("progress")
        if self.progress:
            _check_progress(self.progress[-1], progress)
        return attrs.evolve(self, progress=(*self.progress, progress))

    def _not_completed(self, what: str) -> None:
        if self.completed is not None:
            raise v.refuse(what, None, f"recorded before project {self.id!r} was completed", what)

    @property
    def percent(self) -> int:
        """The share done (100 once completed, else the last report's, 0 before any)."""
        if self.completed is not None:
            return 100
        return self.progress[-1].percent if self.progress else 0

    def funding(self) -> FundingCheck:
        """Where the funding stands: :func:`~gridgov.community.funding.check_funding` of the
        budget, the contributions and the match rule.

        Example:
            >>> Project(id="p1", name="n", unit="u", budget=10_000).funding().shortfall
            10000
        """
        return check_funding(self.budget, self.contributions, self.match)

    def complete(self, *, at: datetime, actor: str, summary: str = "") -> Project:
        """The project completed: one :class:`ProjectCompleted` answering every wish and case.

        Raises:
            InvalidValueError: if the budget is not fully funded, or it is completed already.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> p = Project(id="p1", name="微改造", unit="mg38", budget=100, wishes=["w1"])
            >>> p.complete(at=datetime(2026, 7, 14, 17, 0, tzinfo=CST), actor="m-38")
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidValueError: project 'p1' cannot be completed: ¥1.00 of its budget is not funded.
        """
        self._not_completed("completion")
        check = self.funding()
        if not check.funded:
            raise InvalidValueError(
                f"project {self.id!r} cannot be completed: {yuan(check.shortfall)} of its budget "
                "is not funded."
            )
        shown = "、".join(self.wishes[:20]) + ("…" if len(self.wishes) > 20 else "")
        zh = (
            f"「{self.name}」竣工：{check.reason.zh}；答复微心愿{len(self.wishes)}件"
            f"{'（' + shown + '）' if shown else ''}，办结案件{len(self.cases)}件"
        )
        en = (
            f"\u201c{self.name}\u201d completed: {check.reason.en}; answers "
            f"{len(self.wishes)} micro-wishes{' (' + shown.replace('、', ', ') + ')' if shown else ''}"
            f", resolves {len(self.cases)} cases"
        )
        refs = [*check.reason.refs, *(Ref(kind="case", id=c, name=c) for c in self.cases[:20])]
        done = ProjectCompleted(
            at=at, actor=actor, project=self.id, wishes=self.wishes, cases=self.cases,
            summary=summary, reason=Reason(zh=zh, en=en, refs=refs),
        )
        return attrs.evolve(self, completed=done)


def _check_progress(before: Progress, after: Progress) -> None:
    if after.on < before.on:
        raise v.refuse("on", after, f"on or after the last report's {before.on}", after.on)
    if after.percent < before.percent:
        raise v.refuse(
            "percent", after, f"at least the last report's {before.percent}", after.percent
        )


def resolve_cases(project: Project, cases: Iterable[Case]) -> tuple[Case, ...]:
    """The project's linked cases resolved by its completion: each gets the cases' own
    :class:`~gridgov.cases.Resolved` event, at the completion's time, by its actor, with the
    completion's reason as the summary.  In the project's order.

    Raises:
        InvalidValueError: if the project is not completed, or a linked case is missing.
        InvalidTransitionError: if a case cannot be resolved now (the case's own rule).

    Example:
        >>> resolve_cases(Project(id="p", name="n", unit="u", budget=1), [])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'project' must be a completed project (got 'p').
    """
    done = project.completed
    if done is None:
        raise v.refuse("project", None, "a completed project", project.id)
    by_id: dict[str, Case] = {}
    for case in v.check_items("cases", cases):
        if not isinstance(case, Case):
            raise v.refuse("cases", None, "a collection of Case values", case)
        by_id[case.id] = case
    missing = [c for c in project.cases if c not in by_id]
    if missing:
        raise v.refuse("cases", None, f"every case project {project.id!r} links", missing[:5])
    summary = done.reason.zh[: v.MAX_TEXT]
    return tuple(
        by_id[c].apply(Resolved(at=done.at, actor=done.actor, summary=summary))
        for c in project.cases
    )


def open_wishes(wishes: Iterable[Wish], projects: Iterable[Project]) -> tuple[Wish, ...]:
    """The *wishes* no completed project among *projects* answers, in order.

    Example:
        >>> open_wishes([], [])
        ()
    """
    answered: set[str] = set()
    for p in v.check_items("projects", projects):
        if not isinstance(p, Project):
            raise v.refuse("projects", None, "a collection of Project values", p)
        if p.completed is not None:
            answered.update(p.completed.wishes)
    out = []
    for w in v.check_items("wishes", wishes):
        if not isinstance(w, Wish):
            raise v.refuse("wishes", None, "a collection of Wish values", w)
        if w.id not in answered:
            out.append(w)
    return tuple(out)

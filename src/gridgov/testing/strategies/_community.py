"""Strategies for community life: the talent library and needs, meetings, money, activities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov._time import CST
from gridgov.community import (
    DEFAULT_SKILLS,
    Activity,
    AgendaItem,
    Attendee,
    Contribution,
    DecisionRule,
    Deliberation,
    FundingKind,
    ItemDeferred,
    MajorityOf,
    MatchPolicy,
    MatchRule,
    MeetingClosed,
    MeetingConvened,
    MeetingEvent,
    Need,
    NeedKind,
    Participation,
    PointsPolicy,
    ServicePost,
    SkillLevel,
    Span,
    Talent,
    TalentKind,
    TalentLibrary,
    Threshold,
    Vote,
    VoteCast,
    VotingClosed,
    Willingness,
    Wish,
)
from gridgov.grid import GridGraph
from gridgov.issues import Channel
from gridgov.people import Post, Role
from gridgov.testing.strategies._common import (
    check_grid,
    check_int,
    check_strategy,
    sample_names,
)
from gridgov.testing.strategies._people import criteria
from gridgov.testing.strategies._visits import frequencies

# A few skills of the default catalogue, with and without levels, so that drawn needs often
# find drawn people who can take them.
_SKILLS = ("haircut", "housekeeping", "appliance_repair", "health_care")
# Kinds of service willingness offers and needs ask for (volunteer_service refines into
# housekeeping and appliance_repair in the default catalogue).
_SERVICE = (None, "volunteer_service", "housekeeping", "appliance_repair", "dispute")
_DAY = date(2026, 1, 1)
_T0 = datetime(2026, 9, 15, 19, 0, tzinfo=CST)


def _skill_sets(skills: SearchStrategy[str] | None) -> SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(_SKILLS) if skills is None else skills, max_size=2)


def _levels(draw: st.DrawFn, skills: frozenset[str]) -> list[SkillLevel]:
    """Levels of some of *skills*, within what the default catalogue allows."""
    out = []
    for s in sorted(skills):
        most = len(DEFAULT_SKILLS[s].levels)
        if most and draw(st.booleans()):
            out.append(SkillLevel(skill=s, level=draw(st.integers(1, most))))
    return out


# --------------------------------------------------------------------------- talent, needs


def talent_libraries(
    grid: GridGraph,
    *,
    max_talents: int = 4,
    max_posts: int = 2,
    skills: SearchStrategy[str] | None = None,
) -> SearchStrategy[TalentLibrary]:
    """Talent libraries (人才信息库) over *grid* and the default skill catalogue: residents,
    the grid's own members (:meth:`~gridgov.community.Talent.of_member`) and partners' staff,
    each with skills, levels and a willingness (hours, span, kinds of service, the grid's
    units they travel to, weekdays, a start), and service posts at the grid's units.

    Args:
        grid: the grid people live in and posts are set up at (it must have units).
        max_talents: the most people besides the grid's members drawn in.
        max_posts: the most service posts.
        skills: a strategy for skill codes of the default catalogue (default: haircut,
            housekeeping, appliance repair, health care).

    Libraries shrink towards no one and no posts.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units or a negative maximum.

    Example:
        >>> from gridgov import GridGraph
        >>> from gridgov.testing.strategies import talent_libraries
        >>> talent_libraries(GridGraph(version="v", units=[]))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: grid version 'v' has no units to draw people at.
    """
    grid = _grid_with_units(grid)
    check_int("max_talents", max_talents, at_least=0)
    check_int("max_posts", max_posts, at_least=0)
    check_strategy("skills", skills)
    return _talent_libraries(grid, max_talents, max_posts, _skill_sets(skills))


def _grid_with_units(grid: object) -> GridGraph:
    grid = check_grid(grid)
    if not len(grid):
        raise InvalidArgument(f"grid version {grid.version!r} has no units to draw people at.")
    return grid


@st.composite
def _willingness(draw: st.DrawFn, units: tuple[str, ...]) -> Willingness:
    start = draw(st.sampled_from([None, None, date(2025, 1, 1), date(2027, 1, 1)]))
    return Willingness(
        hours=draw(st.integers(0, 12)),
        per=draw(st.sampled_from(Span)),
        kinds=draw(st.sampled_from([set(), set(), {"volunteer_service"}, {"dispute"}])),
        units=draw(st.frozensets(st.sampled_from(units), max_size=2)),
        weekdays=draw(st.sampled_from([set(), set(), {0, 1, 2, 3, 4}, {5, 6}])),
        start=start,
        end=None if start is None or draw(st.booleans()) else start + timedelta(days=400),
        visits_per_day=draw(st.one_of(st.none(), st.integers(0, 4))),
    )


@st.composite
def _talent_libraries(
    draw: st.DrawFn,
    grid: GridGraph,
    max_talents: int,
    max_posts: int,
    skill_sets: SearchStrategy[frozenset[str]],
) -> TalentLibrary:
    units = tuple(sorted(u.id for u in grid))
    people: list[Talent] = []
    known = set(DEFAULT_SKILLS.codes)
    for m in grid.members:  # the grid's members whose skills the catalogue knows
        if m.posts and m.skills <= known and draw(st.booleans()):
            people.append(Talent.of_member(m, willingness=draw(_willingness(units))))
    partners = sorted(p.id for p in grid.partners)
    for i in range(draw(st.integers(0, max_talents))):
        kind = draw(st.sampled_from([TalentKind.RESIDENT, TalentKind.PARTNER_STAFF]))
        if kind is TalentKind.PARTNER_STAFF and not partners:
            kind = TalentKind.RESIDENT
        skills = draw(skill_sets)
        people.append(
            Talent(
                id=f"t-{i}",
                name=draw(sample_names()),
                kind=kind,
                home=draw(st.sampled_from(units)),
                skills=skills,
                levels=_levels(draw, skills),
                willingness=draw(_willingness(units)),
                partner=draw(st.sampled_from(partners))
                if kind is TalentKind.PARTNER_STAFF
                else None,
            )
        )
    posts = []
    for i in range(draw(st.integers(0, max_posts))):
        skills = draw(skill_sets)
        posts.append(
            ServicePost(
                id=f"post-{i}",
                name=f"服务岗{i}",
                unit=draw(st.sampled_from(units)),
                hours=draw(st.integers(1, 4)),
                per=draw(st.sampled_from(Span)),
                people=draw(st.integers(1, 2)),
                skills=skills,
                levels=_levels(draw, skills),
                category=draw(st.sampled_from(_SERVICE)),
            )
        )
    return TalentLibrary(talents=people, posts=posts)


def needs(
    grid: GridGraph,
    *,
    ids: SearchStrategy[str] | None = None,
    skills: SearchStrategy[str] | None = None,
) -> SearchStrategy[Need]:
    """Needs (a case, an activity… needing people) at *grid*'s units: one or two places of
    one to three hours, skills and levels as :func:`talent_libraries` draws them, a kind of
    service from a few categories (or none) and a priority.

    Args:
        grid: the grid whose units need help (it must have units).
        ids: a strategy for need ids (default ``n-0`` to ``n-9``).
        skills: a strategy for skill codes of the default catalogue.

    Needs shrink towards one place of one hour, no skills, no category, priority 1.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units or a non-strategy.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import needs
        >>> needs(sample_grid(), skills="haircut")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: skills='haircut' must be a hypothesis strategy or None.
    """
    grid = _grid_with_units(grid)
    check_strategy("ids", ids)
    check_strategy("skills", skills)
    return _needs(
        tuple(sorted(u.id for u in grid)),
        st.integers(0, 9).map("n-{}".format) if ids is None else ids,
        _skill_sets(skills),
    )


@st.composite
def _needs(
    draw: st.DrawFn,
    units: tuple[str, ...],
    ids: SearchStrategy[str],
    skill_sets: SearchStrategy[frozenset[str]],
) -> Need:
    skills = draw(skill_sets)
    kind = draw(st.sampled_from(NeedKind))
    return Need(
        id=draw(ids),
        name=draw(st.sampled_from(["理发", "助老", "家电维修", "调解"])),
        kind=kind,
        ref=f"ref-{kind.value}" if draw(st.booleans()) else None,
        unit=draw(st.sampled_from(units)),
        hours=draw(st.integers(1, 3)),
        people=draw(st.integers(1, 2)),
        skills=skills,
        levels=_levels(draw, skills),
        category=draw(st.sampled_from(_SERVICE)),
        priority=draw(st.integers(1, 4)),
    )


def match_policies() -> SearchStrategy[MatchPolicy]:
    """Matching policies: non-decreasing proximity costs, a fairness cost and an unmatched
    cost above every proximity cost.  They shrink towards ``(0,)``, 0 and 1.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.testing.strategies import match_policies
        >>> isinstance(match_policies(), SearchStrategy)
        True
    """
    return st.builds(
        _match_policy,
        st.lists(st.integers(0, 9), min_size=1, max_size=4),
        st.integers(0, 7),
        st.integers(1, 30),
    )


def _match_policy(steps: list[int], fairness: int, above: int) -> MatchPolicy:
    proximity = [sum(steps[: i + 1]) for i in range(len(steps))]
    return MatchPolicy(proximity=proximity, fairness=fairness, unmatched=proximity[-1] + above)


# --------------------------------------------------------------------------- meetings


def wishes(grid: GridGraph, *, residents: Sequence[str] = ("r-1",)) -> SearchStrategy[Wish]:
    """Wishes (微心愿) heard at *grid*'s places from *residents*, on a drawn channel, of a
    few categories, at a whole minute of September 2026 (China Standard Time).

    Args:
        grid: the grid whose places the wishes are about (it must have places).
        residents: the ids of the residents who voice them.

    Wishes shrink towards the first place and resident, a visit, a micro-wish, the earliest
    time.  Their ids are ``w-0`` to ``w-99``; draw lists with ``unique_by`` on the id.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without places or no residents.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import wishes
        >>> wishes(sample_grid(), residents=[])
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: residents must name at least one resident.
    """
    grid = check_grid(grid)
    if not grid.places:
        raise InvalidArgument(f"grid version {grid.version!r} has no places for wishes.")
    people = tuple(residents)
    if not people or isinstance(residents, str):
        raise InvalidArgument("residents must name at least one resident.")
    return st.builds(
        Wish,
        id=st.integers(0, 99).map("w-{}".format),
        resident=st.sampled_from(people),
        place=st.sampled_from(sorted(grid.places)),
        what=st.sampled_from(["修健身器材", "加装扶手", "楼道照明"]),
        at=st.integers(0, 30 * 24 * 60).map(lambda m: _T0 + timedelta(minutes=m)),
        channel=st.sampled_from(Channel),
        category=st.sampled_from(["micro_wish", "facility_repair", "environment"]),
    )


def decision_rules() -> SearchStrategy[DecisionRule]:
    """How a meeting decides: any quorum, majority and base, and a minimum head count of 1
    to 4.  Rules shrink towards the first of each.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.testing.strategies import decision_rules
        >>> isinstance(decision_rules(), SearchStrategy)
        True
    """
    return st.builds(
        DecisionRule,
        id=st.just("r"),
        name=st.just("议事规则"),
        quorum=st.sampled_from(Threshold),
        majority=st.sampled_from(Threshold),
        of=st.sampled_from(MajorityOf),
        min_present=st.integers(1, 4),
    )


def deliberations(
    *,
    agenda: Sequence[AgendaItem] | None = None,
    rules: SearchStrategy[DecisionRule] | None = None,
    max_attendees: int = 8,
) -> SearchStrategy[Deliberation]:
    """Meetings (议事会) convened and then replayed event by event: votes cast by members
    present who hold a vote, each item closed (counted) or deferred, and the meeting closed
    or left open.

    Args:
        agenda: the items (default: up to three items ``a0``, ``a1``… with a proposal).
        rules: a strategy for the decision rule (default :func:`decision_rules`).
        max_attendees: the most people seated (at least 1).

    Meetings shrink towards one attendee, no votes, items closed and the meeting left open.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_attendees < 1`` or an agenda that is
            not a sequence of :class:`~gridgov.community.AgendaItem`.

    Example:
        >>> from gridgov.testing.strategies import deliberations
        >>> deliberations(agenda="a0")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: agenda='a0' must be a sequence of AgendaItem values.
    """
    check_int("max_attendees", max_attendees, at_least=1)
    check_strategy("rules", rules)
    if agenda is not None and (
        isinstance(agenda, str) or not all(isinstance(i, AgendaItem) for i in agenda)
    ):
        raise InvalidArgument(f"agenda={agenda!r:.60} must be a sequence of AgendaItem values.")
    items: SearchStrategy[tuple[AgendaItem, ...]] = (
        st.integers(0, 3).map(_default_agenda) if agenda is None else st.just(tuple(agenda))
    )
    return _deliberations(items, decision_rules() if rules is None else rules, max_attendees)


def _default_agenda(n: int) -> tuple[AgendaItem, ...]:
    return tuple(
        AgendaItem(id=f"a{i}", title=f"议题{i}", unit="mg1", proposal="方案") for i in range(n)
    )


@st.composite
def _deliberations(
    draw: st.DrawFn,
    agendas: SearchStrategy[tuple[AgendaItem, ...]],
    rules: SearchStrategy[DecisionRule],
    max_attendees: int,
) -> Deliberation:
    agenda = draw(agendas)
    unit = agenda[0].unit if agenda else "mg1"
    people = [
        Attendee(
            member=f"m{i}",
            name=f"成员{i}",
            post=Post(role=Role.GRID_LEADER, unit=unit) if i == 0 and draw(st.booleans()) else None,
            voting=i == 0 or draw(st.booleans()),
            present=draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, max_attendees)))
    ]
    convened = MeetingConvened(
        at=_T0,
        actor="m0",
        meeting="y",
        name="议事会",
        unit=unit,
        attendees=people,
        agenda=agenda,
        rule=draw(rules),
    )
    can_vote = [a.member for a in people if a.voting and a.present]
    voters = st.lists(st.sampled_from(can_vote), unique=True) if can_vote else st.just([])
    events: list[MeetingEvent] = [convened]
    at = _T0
    for item in agenda:
        cast = draw(voters)
        for voter in cast:
            at += timedelta(minutes=draw(st.integers(0, 5)))
            events.append(
                VoteCast(
                    at=at, actor="m0", item=item.id, voter=voter, vote=draw(st.sampled_from(Vote))
                )
            )
        at += timedelta(minutes=1)
        if not cast and draw(st.booleans()):
            events.append(ItemDeferred(at=at, actor="m0", item=item.id, reason="待定"))
        else:
            events.append(VotingClosed(at=at, actor="m0", item=item.id))
    if draw(st.booleans()):
        events.append(MeetingClosed(at=at + timedelta(hours=1), actor="m0", minutes="纪要"))
    meeting = Deliberation(events=events[:1])
    for e in events[1:]:
        meeting = meeting.apply(e)
    return meeting


# --------------------------------------------------------------------------- money, activities


def contributions(
    *,
    ids: SearchStrategy[str] | None = None,
    amounts: SearchStrategy[int] | None = None,
) -> SearchStrategy[Contribution]:
    """Money given to a project (in fen): residents' own (自筹, drawn twice as often), a
    sponsor's or public funds, on a day of 2026.

    Args:
        ids: a strategy for contribution ids (default ``c-0`` to ``c-99``).
        amounts: a strategy for amounts, each at least 1 (default 1 to 10,000 or 1 to 10¹²).

    Contributions shrink towards the residents', the least amount, the first day.

    Example:
        >>> from gridgov.testing.strategies import contributions
        >>> contributions(amounts=5)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: amounts=5 must be a hypothesis strategy or None.
    """
    check_strategy("ids", ids)
    check_strategy("amounts", amounts)
    return st.builds(
        Contribution,
        id=st.integers(0, 99).map("c-{}".format) if ids is None else ids,
        kind=st.sampled_from(
            [FundingKind.RESIDENTS, FundingKind.RESIDENTS, FundingKind.SPONSOR, FundingKind.PUBLIC]
        ),
        source=st.sampled_from(["s-1", "s-2"]),
        amount=st.one_of(st.integers(1, 10_000), st.integers(1, 10**12))
        if amounts is None
        else amounts,
        on=st.dates(_DAY, date(2026, 12, 31)),
    )


def match_rules(*, caps: SearchStrategy[int] | None = None) -> SearchStrategy[MatchRule]:
    """Matching rules (配捐): *match* fen per *per* fen residents raise (1 to 5 each), up to
    a cap (default 0 to 300 or 0 to 10¹² fen).  They shrink towards 1:1 and a cap of 0.

    Example:
        >>> from gridgov.testing.strategies import match_rules
        >>> match_rules(caps=300)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: caps=300 must be a hypothesis strategy or None.
    """
    check_strategy("caps", caps)
    return st.builds(
        MatchRule,
        id=st.just("m"),
        name=st.just("配捐"),
        partner=st.just("p"),
        cap=st.one_of(st.integers(0, 300), st.integers(0, 10**12)) if caps is None else caps,
        match=st.integers(1, 5),
        per=st.integers(1, 5),
    )


def activities(
    grid: GridGraph, *, ids: SearchStrategy[str] | None = None
) -> SearchStrategy[Activity]:
    """Activities for groups at *grid*'s units: a group drawn as visit rules draw who they
    cover (:func:`criteria`), a schedule (:func:`frequencies`), the grid's members as
    organisers, its partners' support, and a points policy.

    Args:
        grid: the grid whose units hold the activities (it must have units).
        ids: a strategy for activity ids (default ``act-0`` to ``act-9``).

    Activities shrink towards the first unit, everyone, daily, no organisers, no points.

    Example:
        >>> from gridgov import GridGraph
        >>> from gridgov.testing.strategies import activities
        >>> activities(GridGraph(version="v0", units=[]))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: grid version 'v0' has no units to draw people at.
    """
    grid = _grid_with_units(grid)
    check_strategy("ids", ids)
    members = sorted(m.id for m in grid.members)
    partners = sorted(p.id for p in grid.partners)
    return st.builds(
        Activity,
        id=st.integers(0, 9).map("act-{}".format) if ids is None else ids,
        name=st.sampled_from(["书法展", "志愿服务", "健康讲座"]),
        unit=st.sampled_from(sorted(u.id for u in grid)),
        group=criteria(max_conditions=1, max_tags=1),
        group_name=st.sampled_from(["老年人", "党员", "全体"]),
        schedule=frequencies(calendar=False),
        organisers=st.lists(st.sampled_from(members), unique=True, max_size=2)
        if members
        else st.just([]),
        partners=st.lists(st.sampled_from(partners), unique=True, max_size=2)
        if partners
        else st.just([]),
        points=st.builds(
            PointsPolicy, per_activity=st.integers(0, 10), per_hour=st.integers(0, 10)
        ),
    )


def participations(
    activities: Sequence[Activity], people: Sequence[str], *, max_size: int = 8
) -> SearchStrategy[list[Participation]]:
    """Who took part in *activities* (ids ``p0``, ``p1``… in order): one of *people*, on a
    day of 2026, for 0 to 1,440 minutes.  Lists shrink towards fewer, the first activity and
    person, the first day, no minutes; no activities or no people draw none.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_size < 0`` or activities that are not
            :class:`~gridgov.community.Activity` values.

    Example:
        >>> from gridgov.testing.strategies import participations
        >>> participations(["act-0"], ["r-1"])
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: activities must hold Activity values (got 'act-0').
    """
    acts = list(activities)
    for a in acts:
        if not isinstance(a, Activity):
            raise InvalidArgument(f"activities must hold Activity values (got {a!r:.60}).")
    check_int("max_size", max_size, at_least=0)
    who = tuple(people)
    if not acts or not who:
        return st.just([])
    one = st.tuples(
        st.sampled_from(sorted({a.id for a in acts})),
        st.sampled_from(who),
        st.dates(_DAY, date(2026, 12, 31)),
        st.integers(0, 24 * 60),
    )
    return st.lists(one, max_size=max_size).map(_participations)


def _participations(parts: list[tuple[str, str, date, int]]) -> list[Participation]:
    return [
        Participation(id=f"p{i}", activity=a, person=p, on=on, minutes=m)
        for i, (a, p, on, m) in enumerate(parts)
    ]

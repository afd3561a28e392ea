"""The compiled part of a :class:`~gridgov.visits.VisitRoster` (private).

For each file, worked out once with the criteria engine (:meth:`gridgov.Criteria.span`):

* the first day some rule can match it, and the files ordered by that day, so that a sweep
  of a day reads only the files whose day has come;
* for a file whose conditions have no windows, a *profile*: the rules' spans, which for such
  a file are exactly the days each rule matches it (the file is open, the age band holds,
  the conditions it has are always in force), cut into segments at their ends.  Per segment:
  which rules match (positions in strictness order, one interned tuple per answer) and the
  first day of each one's stretch (the start of its span).  Files alike in everything the
  criteria read (birth, file opened, conditions, tags) share one profile;
* for a file with condition windows, the windows as day numbers; the sweep matches it with
  the policy's :class:`~gridgov.CriteriaIndex` as it does without a roster.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from gridgov._windows import Windows, condition_windows
from gridgov.criteria import Criteria
from gridgov.errors import InvalidValueError
from gridgov.people import Resident
from gridgov.visits._args import before_file
from gridgov.visits._engine import CompiledPolicy, Found, any_due, file_sweep
from gridgov.visits._index import RecordIndex
from gridgov.visits.policy import MajorChange
from gridgov.visits.records import VisitRecord

T = TypeVar("T")
# What makes a sweep's item: (compiled, files, ids, position, found, matched rule ids), the
# file at the position (read only if the item needs more than the id).
Make = Callable[
    [CompiledPolicy, Sequence[Resident], Sequence[str], int, Found, tuple[str, ...]], T
]

BLOCK = 4096  # the runs of RosterIndex.blocked
NEVER = date.max.toordinal() + 1  # a first day after every day: no rule can ever match

# (segment boundaries, per segment (answer id, stretch starts of the rules matched))
Profile = tuple[tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]]


class RosterIndex(NamedTuple):
    """Read-only, flat (arrays are read in C, without a look at an object per file):

    * ``order``, ``firsts``: positions by the first day some rule can match the file, and
      those days; ``blocked``: ``order`` with each block of :data:`BLOCK` entries sorted by
      position (so that a prefix of whole blocks is put in roster order by merging sorted
      runs, not by sorting); ``ends``: per position the day after the last such day (``None`` when
      none ends);
    * ``ids``: the files' ids by position; ``opened``: the day each file was opened (0:
      not given); ``profile_of``: per position its profile (-1:
      the file has condition windows, match the file itself);
    * profile *k* has the segment boundaries ``cuts[offsets[k]:offsets[k + 1]]``; the day
      *d* falls in its segment ``bisect_right(cuts, d, offsets[k], offsets[k + 1]) + k``,
      whose answer (an index into ``answers``: rule positions, strictness order) is
      ``segment_answer[i]`` and whose stretch starts are ``segment_starts[i]`` (the latest
      of them ``segment_latest[i]``);
    * ``windows``: resident id → condition windows, for the files with windows;
    * ``last_cut``, ``final_segment``: per profile its last segment boundary and the index
      of the segment from it on (the segment of every day on or after it); ``penult_cut``:
      the boundary before the last (0: none), from which on to the last the segment is
      the one before the final (a day in the resident's present band, mostly).
    """

    order: memoryview
    blocked: memoryview
    firsts: memoryview
    ends: memoryview | None
    ids: tuple[str, ...]
    opened: memoryview
    profile_of: memoryview
    offsets: memoryview
    cuts: memoryview
    segment_answer: memoryview
    segment_starts: tuple[tuple[int, ...], ...]
    segment_latest: memoryview
    answers: tuple[tuple[int, ...], ...]
    windows: Mapping[str, Windows]
    last_cut: memoryview
    penult_cut: memoryview
    final_segment: memoryview

    def positions(self, day: int) -> list[int]:
        """The positions of the files some rule may match on *day*, in order."""
        k = bisect_right(self.firsts, day)
        whole = k - k % BLOCK
        positions = self.blocked[:whole].tolist()
        positions.extend(self.order[whole:k])
        positions.sort()  # sorted runs of BLOCK positions, merged
        ends = self.ends
        if ends is not None:
            positions = [p for p in positions if ends[p] > day]
        return positions


def build(residents: Sequence[Resident], whos: Sequence[Criteria]) -> RosterIndex:
    """The index of *residents* under rules with criteria *whos* (in strictness order)."""
    firsts = array("q")
    ends = array("q")
    profile_of = array("q")
    windows: dict[str, Windows] = {}
    profiles: list[Profile] = []
    answers: dict[tuple[int, ...], int] = {(): 0}
    # files alike in everything the criteria read share one profile (a table local to the
    # build)
    seen: dict[object, tuple[int, int, int]] = {}
    ids: set[str] = set()
    for r in residents:
        if r.id in ids:
            raise InvalidValueError(
                f"'residents' of VisitRoster must not hold two files with one id (got "
                f"{r.id!r} twice)."
            )
        ids.add(r.id)
        standing = r.standing_conditions
        owed = r.owed_from().toordinal()
        key = None
        if standing is not None:
            key = (r.birth_date, r.file_opened, r.tracked_since, standing, r.tags)
            found = seen.get(key)
            if found is not None:
                firsts.append(found[0])
                ends.append(found[1])
                profile_of.append(found[2])
                continue
        else:
            windows[r.id] = condition_windows(r)
        spans = [who.span(r) for who in whos]
        first = min((s[0] for s in spans if s is not None), default=NEVER)
        end = max((s[1] for s in spans if s is not None), default=0)
        pid = -1
        if key is not None:
            pid = len(profiles)
            profiles.append(_profile(spans, answers, owed))
            seen[key] = (first, end, pid)
        firsts.append(first)
        ends.append(end)
        profile_of.append(pid)
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    finite = any(e < NEVER for e, f in zip(ends, firsts, strict=True) if f < NEVER)
    offsets = array("q")
    cuts = array("q")
    segment_answer = array("q")
    segment_starts: list[tuple[int, ...]] = []
    last_cut = array("q")
    penult_cut = array("q")
    final_segment = array("q")
    for pid, (profile_cuts, segments) in enumerate(profiles):
        offsets.append(len(cuts))
        cuts.extend(profile_cuts)
        last_cut.append(profile_cuts[-1] if profile_cuts else 0)
        penult_cut.append(profile_cuts[-2] if len(profile_cuts) > 1 else 0)
        final_segment.append(len(cuts) + pid)
        for aid, starts in segments:
            segment_answer.append(aid)
            segment_starts.append(starts)
    offsets.append(len(cuts))

    def ro(a: array[int]) -> memoryview:
        return memoryview(a).toreadonly()

    blocked = array("i")
    for i in range(0, len(order), BLOCK):
        blocked.extend(sorted(order[i : i + BLOCK]))
    return RosterIndex(
        ro(array("q", order)),
        ro(blocked),
        ro(array("q", [firsts[i] for i in order])),
        ro(ends) if finite else None,
        tuple(r.id for r in residents),
        ro(array("i", [0 if r.file_opened is None else r.file_opened.toordinal()
                       for r in residents])),
        ro(profile_of),
        ro(offsets),
        ro(cuts),
        ro(segment_answer),
        tuple(segment_starts),
        ro(array("q", [max(starts, default=0) for starts in segment_starts])),
        tuple(sorted(answers, key=answers.__getitem__)),
        MappingProxyType(windows),
        ro(last_cut),
        ro(penult_cut),
        ro(final_segment),
    )


def _profile(
    spans: Sequence[tuple[int, int] | None], answers: dict[tuple[int, ...], int], owed: int
) -> Profile:
    """The segments of a file's days whose spans are *spans* (exact: no condition windows);
    no rule's stretch starts before *owed*, the first day a visit can be owed."""
    cuts = sorted({d for s in spans if s is not None for d in s if d < NEVER})
    segments: list[tuple[int, tuple[int, ...]]] = []
    for i in range(len(cuts) + 1):
        if i == 0:
            segments.append((0, ()))  # before every span begins
            continue
        day = cuts[i - 1]
        matched = tuple(j for j, s in enumerate(spans) if s is not None and s[0] <= day < s[1])
        aid = answers.setdefault(matched, len(answers))
        starts = tuple(max(s[0], owed) for s in (spans[j] for j in matched) if s)
        segments.append((aid, starts))
    return tuple(cuts), tuple(segments)


def sweep_roster(
    compiled: CompiledPolicy,
    ri: RosterIndex,
    residents: Sequence[Resident],
    idx: RecordIndex,
    kept: tuple[VisitRecord, ...],
    changes: Mapping[str, Sequence[tuple[int, MajorChange]]],
    make: Make[T],
    joined: tuple[Sequence[int], Sequence[int]] | None = None,
) -> Iterator[T]:
    """The due sweep over a roster's files (:func:`gridgov.visits.due_visits`), each item
    made by *make*: only the files some rule may match on the day are read; a file without
    condition windows is matched by its profile (flat arrays, no look at the file), one with
    windows by the policy's criteria index, with the windows the roster keeps.  The rules
    and deadlines are the compiled policy's (one engine, see ``_engine``).

    *joined*, if given, is the first and last visit day of each file by position (0: none;
    a :class:`~gridgov.visits.RosterLog` of the records *idx* indexes): read there instead
    of looking the file's id up in *idx*."""
    day = compiled.day
    ids = ri.ids
    opened = ri.opened
    profile_of = ri.profile_of
    offsets = ri.offsets
    cuts = ri.cuts
    last_cut = ri.last_cut
    penult_cut = ri.penult_cut
    final_segment = ri.final_segment
    segment_answer = ri.segment_answer
    segment_starts = ri.segment_starts
    segment_latest = ri.segment_latest
    hits = [compiled.hit(a) if a else None for a in ri.answers]
    windows_get = ri.windows.get
    evaluate = compiled.evaluate
    interval_due = compiled.interval_due
    first_get = idx.first.get
    last_get = idx.last.get
    slot_get = {s: idx.modes[s - 2].get for s in compiled.slots}
    changes_get = changes.get
    one, days = file_sweep(compiled, idx, kept, changes)
    firsts, lasts = (None, None) if joined is None else joined

    def records() -> Iterable[VisitRecord]:
        return kept

    for p in ri.positions(day):
        pid = profile_of[p]
        if pid < 0:  # a file with condition windows: the sweep's one look at a file
            r = residents[p]
            got = one(r, windows_get(r.id))
            if got is not None:
                yield make(compiled, residents, ids, p, got[0], got[1][1])
            continue
        seg = final_segment[pid]  # the day is on or after the profile's last boundary
        if day < last_cut[pid]:
            if day >= penult_cut[pid]:  # between the last two boundaries
                seg -= 1
            else:
                seg = bisect_right(cuts, day, offsets[pid], offsets[pid + 1]) + pid
        aid = segment_answer[seg]
        hit = hits[aid]
        if hit is None:
            continue
        last = last_get(ids[p], 0) if lasts is None else lasts[p]
        chs = changes_get(ids[p]) if changes else None
        if last and chs is None:
            fast = hit[2]  # the sweep's one-comparison check
            if fast is not None:
                if last > fast:
                    continue
                first = first_get(ids[p], last) if firsts is None else firsts[p]
                if first < opened[p]:
                    raise before_file(residents[p], first, kept)
                item = interval_due(last, hit, segment_starts[seg], segment_latest[seg], aid)
                if item[0] <= day:  # (later only for a file tracked from a later day)
                    yield make(compiled, residents, ids, p, item, hit[1])
                continue
            if not any_due(hit[0], ids[p], last, slot_get):
                continue
        r = residents[p]
        g = days(r.id, last) if last else None
        found = evaluate(r, g, chs, hit, True, records, None, segment_starts[seg])
        if found is not None:
            yield make(compiled, residents, ids, p, found, hit[1])

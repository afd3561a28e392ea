"""gridgov._seq.AppendOnly: a sequence that grows by sharing and behaves like a tuple."""

from __future__ import annotations

import copy
import pickle
import threading

import pytest

from gridgov._seq import AppendOnly


def test_empty_and_from_an_iterable() -> None:
    assert len(AppendOnly()) == 0
    assert tuple(AppendOnly()) == ()
    a = AppendOnly(iter("abc"))
    assert tuple(a) == ("a", "b", "c")
    assert len(a) == 3


def test_plus_returns_a_new_version_and_leaves_the_old_one() -> None:
    a = AppendOnly((1, 2))
    b = a.plus(3)
    c = b.plus(4)
    assert (tuple(a), tuple(b), tuple(c)) == ((1, 2), (1, 2, 3), (1, 2, 3, 4))
    assert (len(a), len(b), len(c)) == (2, 3, 4)


def test_a_branch_from_an_older_version_does_not_touch_the_newer_ones() -> None:
    a = AppendOnly((1, 2))
    b = a.plus(3)  # appends to the shared list
    c = a.plus(4)  # a branch: a copy
    d = b.plus(5)
    e = c.plus(6)
    assert tuple(a) == (1, 2)
    assert tuple(b) == (1, 2, 3)
    assert tuple(c) == (1, 2, 4)
    assert tuple(d) == (1, 2, 3, 5)
    assert tuple(e) == (1, 2, 4, 6)
    assert tuple(b.plus(7)) == (1, 2, 3, 7)  # b's next item was taken by d: b branches
    assert tuple(d) == (1, 2, 3, 5)


def test_many_appends_share_one_list() -> None:
    seq: AppendOnly[int] = AppendOnly()
    versions = [seq]
    for i in range(1000):
        seq = seq.plus(i)
        versions.append(seq)
    assert tuple(seq) == tuple(range(1000))
    assert all(len(v) == n for n, v in enumerate(versions))
    assert tuple(versions[500]) == tuple(range(500))
    # each version is a view of the one list, not a copy of it
    assert len({id(v._items) for v in versions[1:]}) == 1


def test_indexing_like_a_tuple() -> None:
    a = AppendOnly((1, 2)).plus(3)
    a.plus(4)  # a later item that a must not see
    assert (a[0], a[2], a[-1], a[-3]) == (1, 3, 3, 1)
    for bad in (3, -4, 100):
        with pytest.raises(IndexError, match="AppendOnly index out of range"):
            a[bad]
    assert a[1:] == (2, 3)
    assert a[::-1] == (3, 2, 1)
    assert a[5:] == ()
    assert isinstance(a[:], tuple)


def test_the_mixins_see_only_the_version() -> None:
    a = AppendOnly(("x", "y"))
    a.plus("z")
    assert "z" not in a
    assert "y" in a
    assert a.index("y") == 1
    assert a.count("x") == 1
    assert list(reversed(a)) == ["y", "x"]
    with pytest.raises(ValueError):  # noqa: PT011 (Sequence.index gives no message)
        a.index("z")


def test_equality_like_a_tuple() -> None:
    a = AppendOnly((1, 2))
    b = a.plus(3)
    assert b == (1, 2, 3)
    assert (1, 2, 3) == b  # noqa: SIM300 (the reflected comparison is the point)
    assert b == [1, 2, 3]
    assert b == AppendOnly([1, 2, 3])  # another list, the same items
    assert a != b
    assert a == AppendOnly((1, 2)).plus(9)[:2]
    assert b != (1, 2)
    assert b != "123"
    assert b != 3
    same_list_shorter = b.plus(4)
    assert same_list_shorter != b


def test_hash_like_a_tuple_and_usable_as_a_key() -> None:
    a = AppendOnly((1, 2)).plus(3)
    assert hash(a) == hash((1, 2, 3))
    assert hash(a) == hash(AppendOnly((1, 2, 3)))
    assert {a: "x"}[AppendOnly((1, 2, 3))] == "x"
    assert len({a, AppendOnly((1, 2, 3)), (1, 2, 3)}) == 1


def test_repr_like_a_tuple() -> None:
    a = AppendOnly((1,))
    a.plus(2)
    assert repr(a) == "(1,)"
    assert repr(AppendOnly()) == "()"


def test_pickle_and_copy_keep_the_version_only() -> None:
    a = AppendOnly(("p1", "p2"))
    b = a.plus("p3")
    a.plus("branch")
    for back in (pickle.loads(pickle.dumps(b)), copy.copy(b), copy.deepcopy(b)):
        assert isinstance(back, AppendOnly)
        assert back == b
        assert tuple(back) == ("p1", "p2", "p3")
    restored = pickle.loads(pickle.dumps(a))
    assert tuple(restored.plus("p9")) == ("p1", "p2", "p9")
    assert tuple(a) == ("p1", "p2")


def test_no_version_ever_sees_an_item_change_under_threads() -> None:
    base = AppendOnly(range(10))
    results: list[AppendOnly[int]] = []
    lock = threading.Lock()

    def grow(tag: int) -> None:
        seq = base
        for i in range(200):
            seq = seq.plus(tag * 1000 + i)
        with lock:
            results.append(seq)

    threads = [threading.Thread(target=grow, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert tuple(base) == tuple(range(10))
    for seq in results:
        tag = seq[10] // 1000
        assert tuple(seq) == (*range(10), *(tag * 1000 + i for i in range(200)))

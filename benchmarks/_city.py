"""The synthetic city shared by the benchmark scripts (imported as ``_city``)."""

from __future__ import annotations

from gridgov import GridUnit


def make_city(
    communities: int, grids: int, micro: int, households: int
) -> tuple[list[GridUnit], dict[str, str]]:
    """Units of a three-tier city and a place index spreading households evenly."""
    units: list[GridUnit] = []
    micro_ids: list[str] = []
    for c in range(communities):
        cid = f"c{c:03d}"
        units.append(GridUnit(id=cid, name=f"社区{c}", tier="community"))
        for g in range(grids):
            gid = f"{cid}-g{g:02d}"
            units.append(GridUnit(id=gid, name=f"网格{c}-{g}", tier="grid", parent=cid))
            for m in range(micro):
                mid = f"{gid}-m{m:02d}"
                units.append(
                    GridUnit(id=mid, name=f"微网格{c}-{g}-{m}", tier="micro_grid", parent=gid)
                )
                micro_ids.append(mid)
    per = -(-households // len(micro_ids))
    places = {f"h{i:08d}": micro_ids[i // per] for i in range(households)}
    return units, places

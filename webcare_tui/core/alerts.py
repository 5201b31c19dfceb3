"""When to warn an agent: a thread's countdown crossed into warning or overdue."""

from __future__ import annotations

from collections.abc import Mapping

_RANK = {"calm": 0, "paused": 0, "warning": 1, "overdue": 2}


def crossings(previous: Mapping[int, str], current: Mapping[int, str]) -> list[tuple[int, str]]:
    """Threads whose level rose to `warning` or `overdue` since `previous`, once each.

    A thread not seen before is not a crossing: at start-up the feed already shows what is
    overdue, and a burst of notifications for it would bury the ones that matter.
    """
    risen: list[tuple[int, str]] = []
    for thread_id, level in current.items():
        before = previous.get(thread_id)
        if before is None or level not in ("warning", "overdue"):
            continue
        if _RANK.get(level, 0) > _RANK.get(before, 0):
            risen.append((thread_id, level))
    return risen

"""The Graph connectors' cursor: a time watermark and the ids handed over just before it.

Graph has no "since this id" for comments and messages, and a comment can become readable a
little after its own `created_time`. So each fetch reads back to `OVERLAP` before the newest
time handed over, and the cursor remembers the ids it handed over in that stretch: nothing is
missed for arriving late and nothing is handed over twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from webcare_tui.connectors.base import MalformedResponse

__all__ = ["OVERLAP", "Watermark"]

OVERLAP = timedelta(minutes=10)
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ; more than this ahead is not a real time
MAX_REMEMBERED = 2000  # a flood inside ten minutes; past this the oldest are forgotten


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _read(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment.astimezone(UTC)


@dataclass
class Watermark:
    """Where a Graph connector stands: the newest time seen and the recent ids with theirs.

    `lower` and `first_run` (no cursor at all: read only the newest pages) are fixed when it
    is loaded; `add` moves `newest` on.
    """

    newest: datetime | None = None
    recent: dict[str, datetime] = field(default_factory=dict)
    ceiling: datetime = field(default_factory=lambda: datetime.now(UTC) + FUTURE_SLACK)
    lower: datetime | None = field(init=False)
    first_run: bool = field(init=False)

    def __post_init__(self) -> None:
        # A time in the future (a broken or hostile answer) must not put every later comment
        # below the watermark for ever: no time counts past `ceiling`.
        if self.newest is not None:
            self.newest = min(self.newest, self.ceiling)
        self.first_run = self.newest is None
        self.lower = None if self.newest is None else self.newest - OVERLAP

    def admits(self, remote_id: str, created: datetime) -> bool:
        """True for an item not handed over before and not older than the overlap."""
        if remote_id in self.recent:
            return False
        return self.lower is None or created >= self.lower

    def add(self, remote_id: str, created: datetime) -> None:
        """Hand `remote_id` over: later fetches will not admit it again."""
        created = min(created, self.ceiling)
        self.recent[remote_id] = created
        if self.newest is None or created > self.newest:
            self.newest = created

    def claim(self, remote_id: str, created: datetime) -> bool:
        """Hand `remote_id` over if `admits` lets it in; whether it did."""
        if not self.admits(remote_id, created):
            return False
        self.add(remote_id, created)
        return True

    def skip(self, remote_id: str) -> None:
        """Remember an item that could not be read, so that it is reported once, not each poll."""
        self.recent[remote_id] = self.newest or self.ceiling

    def dump(self) -> str:
        lower = None if self.newest is None else self.newest - OVERLAP
        kept = sorted(
            ((t, i) for i, t in self.recent.items() if lower is None or t >= lower),
            reverse=True,
        )[:MAX_REMEMBERED]
        return json.dumps(
            {
                "newest": _stamp(self.newest) if self.newest else None,
                "recent": {i: _stamp(t) for t, i in sorted(kept)},
            }
        )

    @classmethod
    def load(cls, cursor: str | None, platform: str) -> Watermark:
        """The watermark in `cursor`; an empty one for None; `MalformedResponse` if not ours."""
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            newest = data["newest"]
            recent = data["recent"]
            if not isinstance(recent, dict):
                raise ValueError(recent)
            mark = cls(
                _read(newest) if newest is not None else None,
                {str(i): _read(t) for i, t in recent.items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise MalformedResponse(f"{platform}: unreadable cursor") from None
        mark.first_run = False  # polled before, if only to find nothing
        return mark

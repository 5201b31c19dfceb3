"""New and reopened threads, told in one notice that grows while it is on screen.

Every connector's poll used to raise its own toast ("3 new and 2 reopened by the customer
threads from demo-mastodon"), and a busy minute piled them up over the draft. Arrivals now add
up in one notice: a new poll's arrivals replace the notice still showing with the sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ARRIVALS_TITLE = "arrivals"


@dataclass
class Arrivals:
    """The counts the arrivals notice shows, per connector, since it was last gone."""

    new: dict[str, int] = field(default_factory=dict)
    reopened: dict[str, int] = field(default_factory=dict)

    def add(self, connector: str, new: int, reopened: int) -> None:
        if new:
            self.new[connector] = self.new.get(connector, 0) + new
        if reopened:
            self.reopened[connector] = self.reopened.get(connector, 0) + reopened

    def clear(self) -> None:
        self.new.clear()
        self.reopened.clear()

    def text(self) -> str:
        """ "4 new threads, 2 reopened by the customer · demo-mastodon, demo-bluesky"."""
        new, reopened = sum(self.new.values()), sum(self.reopened.values())
        parts = []
        if new:
            parts.append(f"{new} new thread{'s' if new != 1 else ''}")
        if reopened:
            parts.append(f"{reopened} reopened by the customer")
        where = ", ".join(dict.fromkeys([*self.new, *self.reopened]))
        return f"{', '.join(parts)} · {where}"

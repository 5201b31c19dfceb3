"""A process of the team, for the multi-process tests: it ingests, claims and beats in a
loop, printing `done KIND N` after each commit, until it is killed (`kill -9`).

Run as `python -m tests.services.team_worker DB AGENT SEED`.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta
from pathlib import Path

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import demo_config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.services.handover import Handover
from webcare_tui.services.presence import Presence
from webcare_tui.store import Store
from webcare_tui.store.base import ClaimedByOther


def main(db: Path, agent: str, seed: int) -> None:
    rng = random.Random(seed)
    store = Store(db)
    clock = demo_config().clock()
    now = lambda: FROZEN_NOW  # noqa: E731
    presence = Presence(store, agent, now)
    handover = Handover(store, agent, now)
    for n in range(100_000):
        kind = rng.choice(("ingest", "claim", "beat"))
        if kind == "ingest":
            message = IncomingMessage(
                remote_id=f"{agent}-{n}",
                author=f"klant-{agent}-{n % 7}",
                text=f"bericht {n} van {agent}",
                created_at=FROZEN_NOW - timedelta(seconds=n),
            )
            store.ingest("demo-mastodon", "mastodon", [message], clock=clock, seen_at=FROZEN_NOW)
            print(f"done ingest {agent}-{n}", flush=True)
        elif kind == "claim":
            threads = store.feed_page(limit=20)
            if not threads:
                continue
            thread = rng.choice(threads).id
            try:
                handover.assign(thread)
            except ClaimedByOther:
                print(f"refused claim {thread}", flush=True)
                continue
            print(f"done claim {thread}", flush=True)
        else:
            presence.replying_to = rng.choice((None, 1, 2))
            presence._written = None
            presence.beat()
            print(f"done beat {presence.replying_to}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))

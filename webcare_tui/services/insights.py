"""Priority and tags for a page of threads, read from the store in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from webcare_tui.core.lexicon import Lexicon, load_lexicon
from webcare_tui.core.model import Thread
from webcare_tui.core.priority import Priority, Signals, score
from webcare_tui.store import Store


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon (data/lexicon), read once per process."""
    from webcare_tui.paths import data_dir

    return load_lexicon(data_dir() / "lexicon")


@dataclass(frozen=True, slots=True)
class ThreadInsight:
    """What the feed shows beside the clock: the thread's tags and its priority."""

    tags: tuple[str, ...]
    priority: Priority


def thread_insights(store: Store, threads: Sequence[Thread]) -> dict[int, ThreadInsight]:
    """Tags and priority of each of `threads`, by thread id."""
    ids = [t.id for t in threads]
    tags = store.tags_of(ids)
    texts = store.thread_texts(ids)
    contacts = store.contact_times({t.author for t in threads})
    words = lexicon()
    found: dict[int, ThreadInsight] = {}
    for thread in threads:
        own = texts.get(thread.id, [])
        customer = [(text, at) for author, text, at in own if author == thread.author]
        others = [text for author, text, _ in own if author != thread.author]
        signals = Signals(
            thread.followers,
            [text for text, _ in customer],
            others,
            contacts.get(thread.author, []),
            customer[-1][1] if customer else None,
        )
        found[thread.id] = ThreadInsight(tags.get(thread.id, ()), score(signals, words))
    return found

"""ParentsFirst: every message of an import handed over once, each after its parent."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.importing import ParentsFirst
from webcare_tui.core.model import IncomingMessage

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _message(remote_id: str, parent: str | None) -> IncomingMessage:
    return IncomingMessage(remote_id=remote_id, author="a", text="t", created_at=T0,
                           in_reply_to=parent)  # fmt: skip


def _hand_over(messages: list[IncomingMessage]) -> list[tuple[IncomingMessage, int]]:
    order = ParentsFirst()
    handed: list[tuple[IncomingMessage, int]] = []
    for line, message in enumerate(messages, start=1):
        handed += order.offer(message, line)
    return handed + order.rest()


def test_a_reply_waits_for_its_parent_from_further_down_the_file() -> None:
    order = ParentsFirst()
    assert order.offer(_message("r2", "r1"), 1) == []
    assert order.offer(_message("r1", "p"), 2) == []
    assert [m.remote_id for m, _ in order.offer(_message("x", None), 3)] == ["x"]
    released = order.offer(_message("p", None), 4)
    assert [(m.remote_id, line) for m, line in released] == [("p", 4), ("r1", 2), ("r2", 1)]
    assert order.rest() == []


# Ids from a small pool, parents from the same pool or outside the file: chains, replies to
# messages stored before, duplicates, circles and a message answering itself.
MESSAGES = st.lists(
    st.tuples(st.sampled_from("abcdefgh"), st.none() | st.sampled_from("abcdefghxyz")),
    max_size=30,
)


@given(MESSAGES)
def test_every_line_is_handed_over_once_and_after_its_parent(
    pairs: list[tuple[str, str | None]],
) -> None:
    messages = [_message(rid, parent) for rid, parent in pairs]
    handed = _hand_over(messages)
    assert sorted(line for _, line in handed) == list(range(1, len(messages) + 1))
    assert all(m is messages[line - 1] for m, line in handed)
    position: dict[str, int] = {}
    for index, (message, _) in enumerate(handed):
        position.setdefault(message.remote_id, index)
    in_file = {m.remote_id for m in messages}
    for index, (message, _) in enumerate(handed):
        parent = message.in_reply_to
        if parent in in_file and parent != message.remote_id and not _in_circle(messages, parent):
            assert position[parent] < index


def _in_circle(messages: list[IncomingMessage], start: str) -> bool:
    """Whether following parents from `start` through the file comes back to a message seen."""
    parents: dict[str, set[str]] = {}
    for m in messages:
        if m.in_reply_to is not None:
            parents.setdefault(m.remote_id, set()).add(m.in_reply_to)
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        for parent in parents.get(current, ()):
            if parent == start:
                return True
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return False

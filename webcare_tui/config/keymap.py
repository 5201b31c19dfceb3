"""Checks of `[keys]` against the bindings the TUI declares, without importing Textual.

The CLI collects the declared bindings (it may import the UI) and asks here what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeclaredBinding:
    """A binding with an id, as a screen or widget (`scope`) declares it; `keys` as Textual
    writes them ("r", "escape,q")."""

    scope: str
    id: str
    keys: str
    description: str = ""


def _keys(text: str) -> set[str]:
    return {key.strip() for key in text.split(",") if key.strip()}


def keymap_problems(
    keymap: Mapping[str, str], scopes: Iterable[Sequence[DeclaredBinding]]
) -> list[tuple[str, str]]:
    """What is wrong with `keymap` (binding id -> keys), as (binding id, what) pairs.

    `scopes` are the sets of bindings active together (a screen's own and the app's). An id no
    scope declares is unknown. A key given to one binding that another in the same scope keeps
    leaves that other one without its key: refused, unless the two shared it already.
    """
    scopes = [list(scope) for scope in scopes]
    known = {binding.id for scope in scopes for binding in scope}
    problems: list[tuple[str, str]] = []
    for binding_id in keymap:
        if binding_id not in known:
            problems.append(
                (binding_id, f"unknown binding id; expected one of {', '.join(sorted(known))}")
            )
    reported: set[tuple[str, str]] = set()
    for scope in scopes:
        for mine in scope:
            if mine.id not in keymap:
                continue
            for other in scope:
                if other.id == mine.id or (mine.id, other.id) in reported:
                    continue
                now = _keys(keymap.get(other.id, other.keys))
                taken = _keys(keymap[mine.id]) & now
                if not taken or _keys(mine.keys) & _keys(other.keys):
                    continue
                reported.add((mine.id, other.id))
                name = f"{other.id} ({other.description})" if other.description else other.id
                key = ", ".join(sorted(taken))
                problems.append(
                    (mine.id, f"{key!r} is the key of {name} too; give one of them another key")
                )
    return problems

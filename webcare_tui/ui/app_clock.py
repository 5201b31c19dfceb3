"""The app-wide clock as screens and widgets read it: `WebcareApp.now`, ticking once a second.

Widgets bind to it (`self.watch(self.app, "now", ...)`) for repaints and read it here, without
importing the App (which imports them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast

from textual.dom import DOMNode
from textual.widgets import Input, TextArea


class _Ticking(Protocol):
    now: datetime
    blink: bool


def app_now(node: DOMNode) -> datetime:
    """The current tick of the app `node` belongs to."""
    return cast(_Ticking, node.app).now


def steady_cursors(node: DOMNode, *fields: Input | TextArea) -> None:
    """A frozen app (tests, snapshots) has no blinking cursor: a blink is time passing.
    Give this every field a screen or dialog mounts."""
    if not cast(_Ticking, node.app).blink:
        for field in fields:
            field.cursor_blink = False

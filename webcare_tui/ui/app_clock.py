"""The app-wide clock as screens and widgets read it: `WebcareApp.now`, ticking once a second.

Widgets bind to it (`self.watch(self.app, "now", ...)`) for repaints and read it here, without
importing the App (which imports them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast

from textual.dom import DOMNode


class _Ticking(Protocol):
    now: datetime


def app_now(node: DOMNode) -> datetime:
    """The current tick of the app `node` belongs to."""
    return cast(_Ticking, node.app).now

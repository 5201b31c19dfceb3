"""Strangers' text on screen: always as `Text` objects, never parsed as markup.

The store has already removed control and bidi characters; here we only keep huge texts from
swamping the screen.
"""

from __future__ import annotations

from rich.text import Text

SHOWN_CHARACTERS = 20_000


def literal(text: str, style: str = "") -> Text:
    """`text` exactly as written, cut at SHOWN_CHARACTERS with a note saying how much is left."""
    if len(text) <= SHOWN_CHARACTERS:
        return Text(text, style=style, end="")
    rest = len(text) - SHOWN_CHARACTERS
    shown = Text(text[:SHOWN_CHARACTERS], style=style, end="")
    shown.append(f"\n… {rest:,} more characters (webcare show gives them all)", style="italic")
    return shown

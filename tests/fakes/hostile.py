"""What a hostile server or file puts in every string it can, and the check that none of it
reached the terminal: no ESC, no BEL, no C1 control, no bidi override, no lone surrogate; and
JSON of any shape, for the parsers a stranger feeds."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# A terminal title, a clipboard write ("rm -rf ~"), a screen clear, the C1 CSI, a bidi override
# and a lone surrogate (which no encoder can write, so it crashes whatever tries).
NASTY = "\x1b]0;TITLE\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\u202eevil\ud800"
_DANGEROUS = re.compile("[\x1b\x07\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def dangerous(text: str) -> list[str]:
    """The characters of `text` a terminal must never be sent from a stranger."""
    return _DANGEROUS.findall(text)


def assert_terminal_safe(text: str) -> None:
    found = dangerous(text)
    assert not found, f"{found!r} in {text[:200]!r}"


def assert_database_safe(path: Path) -> None:
    """Every text value in every table of the database at `path` is safe to show."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        assert_terminal_safe(value)
    finally:
        conn.close()


def any_json(
    strings: st.SearchStrategy[str] | None = None, *, max_leaves: int = 20, width: int = 4
) -> st.SearchStrategy[Any]:
    """Any JSON value: scalars (`strings` for text, any text by default), and lists and objects
    of up to `width` items nested up to `max_leaves` scalars in all."""
    text = st.text() if strings is None else strings
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
        lambda inner: (
            st.lists(inner, max_size=width) | st.dictionaries(text, inner, max_size=width)
        ),
        max_leaves=max_leaves,
    )

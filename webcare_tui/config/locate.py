"""Where in the file a key is, and msgspec's complaints rewritten into our words.

tomllib reports no positions, so the line of a key is found in the source text: good enough for
the files people write (one key per line), and a header's line where it is not.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from webcare_tui.config.model import ConfigError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*[\"']?[\w.\-]+[\"']?\s*=")
_AT = re.compile(r"\s*- at `\$(?P<path>[^`]*)`$")
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]|\[\.\.\.\]")
TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
    "null": "a value",
}


def label(table: str | None, index: int | None, key: str) -> str:
    """How an error names a key: `[team] timezone`, `[[windows]] #2 hours`, `keys`."""
    if not table:
        return key
    if index is not None:
        return f"[[{table}]] #{index + 1} {key}"
    return f"[{table}] {key}"


class Locator:
    """Finds the line of a key in the source, and words the error about it."""

    def __init__(self, source: str, path: Path | None = None) -> None:
        self.lines = source.splitlines()
        self.path = path

    def error(
        self, table: str | None, index: int | None, key: str, expected: str, value: Any = None
    ) -> ConfigError:
        """The ConfigError about `key` in `[table]`, at its line (the line holding `value`
        when the key's value spans lines)."""
        needle = str(value) if isinstance(value, str | int | float | date) else None
        line = self.line(table, index, key, needle)
        return ConfigError(self.path, line, label(table, index, key), expected)

    def line(
        self, table: str | None, index: int | None, key: str | None, value: str | None = None
    ) -> int | None:
        """The line of `key` in `[table]` (the `index`th `[[table]]`), else of the table's
        header, else of a top-level `table = ...`. With `value`, the line within the key's
        value (a multi-line list) that holds it."""
        current: str | None = None
        seen: dict[str, int] = {}
        header_line: int | None = None
        key_line: int | None = None
        for number, text in enumerate(self.lines, start=1):
            header = _HEADER.match(text)
            if header:
                if key_line is not None:
                    break
                current = header.group(2).strip("\"' ")
                seen[current] = seen.get(current, -1) + 1
                if current == table and (index is None or seen[current] == index):
                    header_line = number
                continue
            if key_line is not None:
                if _KEY.match(text):
                    break  # the next key: the value was on one line
                if value is not None and value in text:
                    return number
                continue
            here = current == table and (index is None or seen.get(current or "") == index)
            if here and key and _assigns(text, key):
                key_line = number
                if value is None or value in text:
                    return number
        if key_line or header_line:
            return key_line or header_line
        if table is not None:
            return self.line(None, None, table)
        return None


def _assigns(text: str, key: str) -> bool:
    return bool(re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]", text))


def path_of(message: str, at: tuple[str | int, ...] = ()) -> tuple[tuple[str | int, ...], str]:
    """msgspec's message (`Expected `str`, got `int` - at `$.team.name``) taken apart: the
    steps to the value (after `at`, where a part of the file was converted) and what it says."""
    found = _AT.search(message)
    if not found:
        return at, message
    pairs = _STEP.findall(found.group("path"))
    steps = tuple(name or int(number) for name, number in pairs if name or number)
    return (*at, *steps), message[: found.start()]


def expected_type(message: str) -> str | None:
    """The type msgspec wanted, in our words ("a string or a list"), or None."""
    found = re.match(r"Expected `([^`]+)`", message)
    if not found:
        return None
    types = [name for name in found.group(1).split(" | ") if name != "null"] or ["null"]
    return " or ".join(TYPE_WORDS.get(name, name) for name in types)


def value_at(raw: Any, steps: tuple[str | int, ...]) -> Any:
    """The value at `steps` in the parsed document, or None when it is not there."""
    for step in steps:
        try:
            raw = raw[step]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def shown(value: Any) -> str:
    """A value as the error quotes it: short, and safe to print."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

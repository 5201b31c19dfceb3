"""Team-editable TOML data files (tone lists, canned replies): reading them, naming what is wrong.

Every problem is a `DataFileError` that names the file, the line and the `[[table]]` entry, so a
team that extends a list finds its typo without reading a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex


class DataFileError(ValueError):
    """A data file (tone phrases, canned replies) that cannot be used: names file, line, entry."""

    title = "bad data file"

    def __init__(
        self, path: Path, problem: str, *, line: int | None = None, entry: str | None = None
    ) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {entry + ': ' if entry else ''}{problem}")
        self.path, self.line, self.entry, self.problem = path, line, entry, problem


@dataclass(frozen=True, slots=True)
class DataEntry:
    """One `[[table]]` entry of a data file, with enough position to name it in an error."""

    path: Path
    table: str
    number: int  # 1-based among the file's [[table]] entries
    line: int | None
    values: dict[str, Any]

    def error(self, problem: str) -> DataFileError:
        return DataFileError(
            self.path, problem, line=self.line, entry=f"[[{self.table}]] #{self.number}"
        )

    def text(self, key: str) -> str:
        """A required, non-empty string value."""
        value = self.values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"`{key}` must be a non-empty string")
        return value

    def check_keys(self, allowed: Iterable[str]) -> None:
        """A misspelt key would silently be ignored; refuse it instead."""
        unknown = sorted(set(self.values) - set(allowed))
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def data_files(directory: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """The `*.toml` files of a packaged data directory (sorted), then the team's extra files."""
    if not directory.is_dir():
        raise DataFileError(directory, "not a directory")
    return [*sorted(directory.glob("*.toml")), *extra]


def read_data_file(path: Path, table: str) -> tuple[dict[str, Any], list[DataEntry]]:
    """Parse one TOML data file: its top-level values and its `[[table]]` entries."""
    try:
        source = path.read_text(encoding="utf-8")
        document = tomllib.loads(source)
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, "not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"not valid TOML: {exc}") from exc
    raw = document.get(table, [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise DataFileError(path, f"`{table}` must be written as [[{table}]] tables")
    # tomllib gives no positions; the n-th [[table]] header is the n-th entry.
    header = regex.compile(rf"^[ \t]*\[\[[ \t]*{regex.escape(table)}[ \t]*\]\]", regex.MULTILINE)
    lines = [source.count("\n", 0, m.start()) + 1 for m in header.finditer(source)]
    entries = [
        DataEntry(path, table, n, lines[n - 1] if n <= len(lines) else None, values)
        for n, values in enumerate(raw, start=1)
    ]
    return document, entries

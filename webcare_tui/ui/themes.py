"""User themes from `themes/*.toml`, validated. A broken file is skipped with a reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
)
SLA_DEFAULTS = {
    "sla-calm": "#6CC08B",
    "sla-warning": "#E8B85E",
    "sla-overdue": "#FF6B66",
    "sla-paused": "#8A96A3",
}


def load_theme(path: Path) -> Theme:
    """One theme file as a Textual Theme. Raises ValueError naming the file and the key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path.name}: cannot be read: {error}") from None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{path.name}: name: expected a theme name")
    colours: dict[str, str] = {}
    for key in COLOUR_KEYS:
        if key in raw:
            colours[key] = _colour(path, key, raw[key])
    if "primary" not in colours:
        raise ValueError(f"{path.name}: primary: every theme needs a primary colour")
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"{path.name}: variables: expected a table")
    checked = {k: _colour(path, f"variables.{k}", v) for k, v in variables.items()}
    return Theme(
        name=name.strip(),
        dark=bool(raw.get("dark", True)),
        variables={**SLA_DEFAULTS, **checked},
        **colours,  # type: ignore[arg-type]
    )


def _colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{path.name}: {key}: expected a colour like #1F5FAF")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{path.name}: {key}: {value!r} is not a colour") from None
    return value


def load_themes(directory: Path) -> tuple[list[Theme], list[str]]:
    """Every valid theme in `directory`, and a message for each file that is not."""
    themes: list[Theme] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            themes.append(load_theme(path))
        except ValueError as error:
            problems.append(str(error))
    return themes, problems

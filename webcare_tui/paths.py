"""Where things live: config, database, the packaged `data/` and `themes/`."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "webcare"
_PACKAGE = Path(__file__).resolve().parent


def _packaged(name: str) -> Path:
    # Installed wheels carry data/ and themes/ inside the package; a source checkout keeps them
    # at the repository root.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def data_dir() -> Path:
    return _packaged("data")


def themes_dir() -> Path:
    return _packaged("themes")


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "webcare.db"


def demo_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "demo.db"


def config_path(cli_value: str | None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (a named file must exist)."""
    if cli_value:
        return Path(cli_value).expanduser(), True
    env = os.environ.get("WEBCARE_CONFIG")
    if env:
        return Path(env).expanduser(), True
    return default_config_path(), False


def db_path(cli_value: str | None, *, demo: bool) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("WEBCARE_DB")
    if env:
        return Path(env).expanduser()
    return demo_db_path() if demo else default_db_path()

"""What the config tests share: a team table that passes, and the error a text gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from webcare_tui.config import ConfigError, parse_config

TEAM = '[team]\nname = "Acme"\ntimezone = "Europe/Amsterdam"\n'
"""Three lines: a key appended after it is on line 4, inside [team]."""


def error_for(text: str) -> ConfigError:
    """The ConfigError that `text` gives, read as `/etc/webcare.toml`."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/webcare.toml"))
    return caught.value

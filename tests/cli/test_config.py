from __future__ import annotations

from pathlib import Path

import pytest

from webcare_tui.config import ConfigError, demo_config, load_config, parse_config
from webcare_tui.connectors.mastodon import MastodonOptions
from webcare_tui.connectors.rss import RssOptions

GOOD = """
[team]
name = "Acme Webcare"
timezone = "Europe/Amsterdam"
holidays = ["2026-12-25", "2026-12-26"]

[agent]
initials = "AB"

[[windows]]
channel = "*"
first_response = "60m"
next_response = "4h"
follow_up = "1d"
hours = "mon-fri 09:00-17:00"

[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "https://social.example"
token_env = "ACME_MASTODON_TOKEN"
poll_every = "30s"

[[connectors]]
name = "acme-blog"
type = "rss"
url = "https://blog.example/feed.xml"
channel = "blog"
keywords = ["acme"]
"""


def test_contract_example_is_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEBCARE_AGENT", raising=False)
    config = parse_config(GOOD, Path("config.toml"))
    assert config.team_name == "Acme Webcare"
    assert config.agent == "AB"
    assert config.signature_text == "^AB"
    [social, blog] = config.connectors
    assert social.channel == "mastodon" and social.poll_every.total_seconds() == 30
    assert isinstance(social.options, MastodonOptions)
    assert social.options.token_env == "ACME_MASTODON_TOKEN"
    assert blog.channel == "blog" and isinstance(blog.options, RssOptions)
    assert blog.options.keywords == ["acme"]
    assert config.clock().window_for("blog").channel == "*"


def test_webcare_agent_overrides_initials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCARE_AGENT", "ZZ")
    assert parse_config(GOOD).agent == "ZZ"


def error_for(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/webcare.toml"))
    return caught.value


def test_syntax_error_names_file_and_line() -> None:
    error = error_for('[team]\nname = "x"\ntimezone = \n')
    assert error.line == 3
    assert str(error).startswith("/etc/webcare.toml:3:")


def test_bad_duration_names_line_and_key() -> None:
    text = GOOD.replace('next_response = "4h"', 'next_response = "soon"')
    error = error_for(text)
    assert error.line == 13
    assert "[[windows]] #1 next_response" in str(error)
    assert "45m" in str(error)


def test_bad_hours_names_line_and_key() -> None:
    error = error_for(GOOD.replace("mon-fri 09:00-17:00", "weekdays 9 to 5"))
    assert error.line == 15 and "hours" in error.key


def test_connector_missing_key() -> None:
    error = error_for(GOOD.replace('token_env = "ACME_MASTODON_TOKEN"\n', ""))
    assert "token_env" in str(error) and error.line == 17  # the table header


def test_connector_unknown_type_and_key() -> None:
    assert "type" in error_for(GOOD.replace('type = "rss"', 'type = "fax"')).key
    error = error_for(GOOD.replace('poll_every = "30s"', 'poll_evrey = "30s"'))
    assert "poll_evrey" in error.key and error.line == 22


def test_secrets_never_in_the_file_only_their_variable_names() -> None:
    error = error_for(GOOD.replace('base_url = "https://social.example"', 'base_url = "social"'))
    assert "http(s) URL" in error.expected


def test_bad_timezone_and_holiday() -> None:
    assert "timezone" in error_for(GOOD.replace("Europe/Amsterdam", "Mars/Olympus")).key
    assert "holidays" in error_for(GOOD.replace('"2026-12-26"', '"tomorrow"')).key


def test_duplicate_connector_names() -> None:
    text = GOOD.replace('name = "acme-blog"', 'name = "acme-social"')
    assert "used twice" in str(error_for(text))


def test_unknown_top_level_key() -> None:
    assert "unknown key" in str(error_for("[tema]\nname = 'x'\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


def test_demo_config_is_valid() -> None:
    config = demo_config()
    assert config.is_demo
    assert {c.type for c in config.connectors} == {"demo"}
    assert {c.channel for c in config.connectors} == {"mastodon", "bluesky", "forum"}

"""Each `[[connectors]]` table is checked against the options its connector class declares."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.config_errors import error_for
from webcare_tui.config import parse_config
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.connectors.bluesky import BlueskyConnector, BlueskyOptions
from webcare_tui.connectors.mastodon import MastodonConnector, MastodonOptions
from webcare_tui.connectors.rss import RssOptions
from webcare_tui.services.registry import KNOWN_TYPES, connector_class

HEAD = '[team]\ntimezone = "Europe/Amsterdam"\n\n'


def connector(body: str) -> str:
    return HEAD + '[[connectors]]\nname = "c"\n' + body


def test_defaults_come_from_the_class() -> None:
    config = parse_config(connector('type = "bluesky"\nhandle = "a.b"\npassword_env = "P"\n'))
    [settings] = config.connectors
    assert settings.options == BlueskyOptions(handle="a.b", password_env="P")
    assert isinstance(settings.options, BlueskyOptions)
    assert settings.options.service == "https://bsky.social"


@pytest.mark.parametrize(
    ("body", "line", "key", "expected"),
    [
        ('type = "mastodon"\nbase_url = "https://s.example"\ntoken_env = 7\n', 8, "token_env",
         "expected a string, got 7"),
        ('type = "mastodon"\nbase_url = "https://s.example"\ntoken_env = "  "\n', 8, "token_env",
         "expected a non-empty string"),
        ('type = "mastodon"\nbase_url = "ftp://s.example"\ntoken_env = "T"\n', 7, "base_url",
         "expected an http(s) URL, got 'ftp://s.example'"),
        ('type = "mastodon"\nbase_url = "https://s.example"\n', 4, "token_env",
         "a mastodon connector needs token_env"),
        ('type = "rss"\nurl = "https://f.example"\nkeywords = "acme"\n', 8, "keywords",
         "expected a list, got 'acme'"),
        ('type = "rss"\nurl = "https://f.example"\nkeywords = ["a", 2]\n', 8, "keywords",
         "expected a string, got 2"),
        ('type = "facebook"\npage_id = "1"\ntoken_env = "T"\npost_window = "4w"\n', 9,
         "post_window", "expected calendar days like 30d, got '4w'"),
        ('type = "demo"\nurl = "https://f.example"\n', 7, "url",
         "unknown key for a demo connector; expected one of channel, enabled, name, "
         "poll_every, type"),
    ],
)  # fmt: skip
def test_bad_options_name_file_line_and_key_in_our_words(
    body: str, line: int, key: str, expected: str
) -> None:
    error = error_for(connector(body))
    assert error.line == line
    assert error.key == f"[[connectors]] #1 {key}"
    assert error.expected == expected
    assert "`" not in str(error) and "$" not in str(error)  # none of msgspec's own wording


def test_every_registered_type_declares_its_options_and_length_rule() -> None:
    for kind in KNOWN_TYPES:
        cls = connector_class(kind)
        assert cls.type == kind
        assert cls.length_rule.counting in ("mastodon", "bluesky", "x", "plain")


def test_an_unset_secret_variable_is_a_warning_not_an_error() -> None:
    options = BlueskyOptions(handle="a.b", password_env="ACME_PW")
    assert BlueskyConnector.check_options(options, {}) == [
        "password_env: ACME_PW is not set in the environment"
    ]
    assert BlueskyConnector.check_options(options, {"ACME_PW": "secret"}) == []
    assert options.secret_variables() == {"password_env": "ACME_PW"}


def test_a_connector_refuses_options_of_another_type() -> None:
    settings = ConnectorSettings("c", "mastodon", "mastodon", options=RssOptions(url="http://x.nl"))
    with pytest.raises(TypeError, match="MastodonOptions"):
        MastodonConnector(settings)


def test_a_mapping_of_options_is_read_as_the_type_declares() -> None:
    raw: Any = {"base_url": "https://s.example", "token_env": "T"}  # code written before Options
    connector = MastodonConnector(ConnectorSettings("c", "mastodon", "mastodon", options=raw))
    assert connector.options == MastodonOptions(base_url="https://s.example", token_env="T")
    wrong: Any = {"base_url": "https://s.example"}
    with pytest.raises(TypeError, match="token_env"):
        MastodonConnector(ConnectorSettings("c", "mastodon", "mastodon", options=wrong))

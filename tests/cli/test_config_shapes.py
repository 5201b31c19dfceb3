"""Every wrong shape is one ConfigError naming file, line and key, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.config_errors import TEAM, error_for
from webcare_tui.config import ConfigError, parse_config
from webcare_tui.config.tables import TABLES
from webcare_tui.services.registry import KNOWN_TYPES, connector_class


@pytest.mark.parametrize(
    ("text", "line", "key", "expected"),
    [
        ("windows = [1, 2]\n" + TEAM, 1, "windows", "expected [[windows]] tables, got 1"),
        ("connectors = [1]\n" + TEAM, 1, "connectors", "expected [[connectors]] tables, got 1"),
        ("connectors = 3\n" + TEAM, 1, "connectors", "expected [[connectors]] tables, got 3"),
        ("team = 5\n", 1, "team", "expected a table like [team], got 5"),
        ("name2 = 1\n" + TEAM, 1, "name2", "unknown key; expected one of agent, clock, "
         "connectors, escalation, keys, replies, tags, team, ui, windows"),
        (TEAM + "[ui]\ntheme = 7\n", 5, "[ui] theme", "expected a string, got 7"),
        (TEAM + "[ui]\nbell = \"yes\"\n", 5, "[ui] bell", "expected true or false, got 'yes'"),
        (TEAM + "[agent]\nname = [\"a\"]\n", 5, "[agent] name", "expected a string, got ['a']"),
        (TEAM + "contacts = [\"088\", 12]\n", 4, "[team] contacts", "expected a string, got 12"),
        (TEAM + "[clock]\nwarn_share = true\n", 5, "[clock] warn_share",
         "expected a number, got True"),
        (TEAM + "[replies]\nundo_seconds = nan\n", 5, "[replies] undo_seconds",
         "expected seconds from 0 to 300"),
        (TEAM + "[replies]\noverride = \"boss\"\n", 5, "[replies] override",
         "expected reason or second-agent, got 'boss'"),
        (TEAM + "[[windows]]\nchannel = \"*\"\nfirst_response = 45\n", 6,
         "[[windows]] #1 first_response", "expected a string, got 45"),
        (TEAM + "[[windows]]\nfirst_response = \"99999999999999999999h\"\n", 5,
         "[[windows]] #1 first_response", "too large: '99999999999999999999h'"),
        (TEAM + "[[windows]]\nfoo = 1\n", 5, "[[windows]] #1 foo",
         "unknown key; expected one of channel, first_response, follow_up, hours, next_response"),
        (TEAM + "[[connectors]]\ntype = \"demo\"\n", 4, "[[connectors]] #1 name",
         "every connector needs name"),
        (TEAM + "[[connectors]]\nname = \"x\"\ntype = 3\n", 6, "[[connectors]] #1 type",
         "expected a string, got 3"),
        (TEAM + "[escalation]\nteams = [\"back office\"]\n", 5, "[escalation] teams",
         "expected team names without spaces, commas or colons, like backoffice"),
        (TEAM + "[escalation]\ndm_template = \"Hi {naam}\"\n", 5, "[escalation] dm_template",
         "unknown placeholder {naam}; expected one of {name}, {first_name}, {agent}, {window}, "
         "{handle}"),
        (TEAM + "[tags]\nnames = \"billing\"\n", 5, "[tags] names",
         "expected a list, got 'billing'"),
        (TEAM + "[keys]\nthread.reply = \"x\"\n", 5, "[keys] thread",
         "expected a key like \"ctrl+r\", got {'reply': 'x'} "
         "(quote the binding id: \"thread.reply\" = ...)"),
        (TEAM + "[replies]\ncanned = [\"~nobody-here-at-all/x.toml\"]\n", 5, "[replies] canned",
         "expected a file path, got '~nobody-here-at-all/x.toml': no such home folder"),
    ],
)  # fmt: skip
def test_wrong_shapes_name_file_line_and_key(
    text: str, line: int | None, key: str, expected: str
) -> None:
    error = error_for(text)
    assert (error.line, error.key, error.expected) == (line, key, expected)
    assert str(error).startswith("/etc/webcare.toml")


def test_a_3000_deep_array_is_an_error_not_a_crash() -> None:
    error = error_for(TEAM + "x = " + "[" * 3000 + "]" * 3000 + "\n")
    assert error.key == "syntax"


def test_the_new_keys_are_read() -> None:
    config = parse_config(
        TEAM
        + 'contacts = ["088 123 4567", "service@acme.example"]\n'
        + '[escalation]\nteams = ["legal", "pr", "legal"]\n'
        + 'dm_template = "Hi {first_name}, DM us?"\npublic_template = "DM sent, {name}."\n'
        + '[tags]\nnames = ["billing", "praise"]\n'
        + '[replies]\noverride = "second-agent"\n'
    )
    assert config.contacts == ("088 123 4567", "service@acme.example")
    assert config.escalation_teams == ("legal", "pr")
    assert (config.dm_template, config.public_template) == (
        "Hi {first_name}, DM us?",
        "DM sent, {name}.",
    )
    assert config.tags == ("billing", "praise")
    assert config.override_mode == "second-agent"


def test_the_new_keys_have_defaults() -> None:
    config = parse_config(TEAM)
    assert config.escalation_teams == ("backoffice",)
    assert "{name}" in config.dm_template and "{name}" in config.public_template
    assert (config.contacts, config.tags, config.override_mode) == ((), (), "reason")


KEYS = st.sampled_from([*TABLES, "keys", "holidays", "timezone", "name", "type", "channel"])
SCALARS = (
    st.text(max_size=12)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.times()
)


def _document(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(KEYS | st.text(min_size=1, max_size=8), inner, max_size=5)
        ),
        max_leaves=30,
    )


PLAUSIBLE = st.sampled_from(
    ["30s", "1d", "1d30s", "0m", "45m", "99999999999h", "Europe/Amsterdam", "Mars/Base", "NL",
     "XX", "nl", "2026-12-25", "2026-02-30", "mon-fri 09:00-17:00", "sun 25:00-26:00",
     "https://x.example", "ftp://x", "{name}", "{nope}", "{", "r", "ctrl+s", "", " ", "~x/y",
     "reason", "second-agent", *KNOWN_TYPES]
)  # fmt: skip


def _tables() -> st.SearchStrategy[dict[str, Any]]:
    """Documents made of our own tables and keys, with values near the valid ones."""
    value = _document(PLAUSIBLE | SCALARS)

    def table(fields: Sequence[str]) -> st.SearchStrategy[dict[str, Any]]:
        return st.dictionaries(st.sampled_from(list(fields)), value, max_size=len(fields))

    options = sorted(
        {f for kind in KNOWN_TYPES for f in connector_class(kind).Options.__struct_fields__}
    )
    shapes: dict[str, st.SearchStrategy[Any]] = {
        name: table(cls.__struct_fields__) for name, cls in TABLES.items()
    }
    shapes["windows"] = st.lists(shapes["windows"], max_size=3)
    shapes["connectors"] = st.lists(
        table([*TABLES["connectors"].__struct_fields__, *sorted(options)]), max_size=3
    )
    shapes["keys"] = st.dictionaries(st.sampled_from(["thread.reply", "x", "a.b"]), value)
    return st.fixed_dictionaries({}, optional=shapes)


def _parses_or_says_where(doc: dict[str, Any]) -> None:
    try:
        source = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not TOML-able (tomli_w refuses some mixes); nothing to feed
    try:
        parse_config(source, Path("/etc/webcare.toml"))
    except ConfigError as error:
        assert str(error).startswith("/etc/webcare.toml")
        assert "Expected `" not in error.expected and "- at `$" not in error.expected  # ours


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, _document(SCALARS), max_size=6))
def test_any_toml_document_is_a_config_or_a_config_error(doc: dict[str, Any]) -> None:
    _parses_or_says_where(doc)


@settings(max_examples=500, deadline=None)
@given(_tables(), st.booleans())
def test_documents_of_our_own_keys_are_a_config_or_a_config_error(
    doc: dict[str, Any], with_team: bool
) -> None:
    if with_team:
        doc["team"] = {**doc.get("team", {}), "timezone": "Europe/Amsterdam"}
    _parses_or_says_where(doc)

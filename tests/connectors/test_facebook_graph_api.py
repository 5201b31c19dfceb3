"""The Graph API parts Facebook and Instagram share, fed what strangers and configs may send:
error envelopes, usage headers, cursors, objects of any shape, config tables."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.hostile import any_json
from webcare_tui.config import ConfigError, parse_config
from webcare_tui.connectors.base import ConnectorError, ConnectorSettings, MalformedResponse
from webcare_tui.connectors.facebook import FacebookConnector, FacebookOptions
from webcare_tui.connectors.graph import DEFAULT_BACKOFF, graph_error, retry_at_from_usage
from webcare_tui.connectors.graph_cursor import OVERLAP, Watermark
from webcare_tui.connectors.instagram import InstagramConnector, InstagramOptions

SECRET = "EAAsecret-token-1234"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

json_values = any_json()


def response(status: int, body: bytes, **headers: str) -> httpx.Response:
    request = httpx.Request("GET", "https://graph.facebook.com/v25.0/1/feed")
    return httpx.Response(status, content=body, headers=headers, request=request)


# -- error envelopes and usage headers ----------------------------------------------------------


@given(
    st.integers(400, 599),
    st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()),
)
def test_any_error_answer_becomes_a_connector_error(status: int, body: bytes) -> None:
    error = graph_error(response(status, body), "facebook", "pages_read_engagement", (SECRET,))
    assert isinstance(error, ConnectorError)


@given(st.integers(), st.one_of(st.none(), st.integers()), st.text(max_size=100))
def test_an_envelope_never_leaks_the_token(code: int, subcode: int | None, text: str) -> None:
    body = {"error": {"code": code, "error_subcode": subcode, "message": f"{text} {SECRET}"}}
    error = graph_error(response(400, json.dumps(body).encode()), "facebook", "x", (SECRET,))
    assert error is not None and SECRET not in str(error)


def test_success_is_no_error() -> None:
    assert graph_error(response(200, b'{"data": []}'), "facebook", "x") is None


@given(st.dictionaries(st.sampled_from(["x-app-usage", "x-business-use-case-usage",
                                        "retry-after"]), st.text(max_size=80)))  # fmt: skip
def test_usage_headers_of_any_shape_never_break_the_back_off(headers: dict[str, str]) -> None:
    with contextlib.suppress(UnicodeEncodeError):  # httpx refuses such headers itself
        moment = retry_at_from_usage(httpx.Headers(headers), NOW)
        assert moment is None or moment.tzinfo is not None


def test_a_wait_past_any_calendar_is_no_wait() -> None:
    for value in ("9223372036854775296", "1e300", "inf", "nan"):
        assert retry_at_from_usage(httpx.Headers({"retry-after": value}), NOW) is None
    huge = json.dumps({"1": [{"estimated_time_to_regain_access": 10**30}]})
    moment = retry_at_from_usage(httpx.Headers({"x-business-use-case-usage": huge}), NOW)
    assert moment == NOW + timedelta(days=1)


def test_app_usage_at_the_limit_waits_the_default_back_off() -> None:
    full = httpx.Headers({"x-app-usage": '{"call_count": 100, "total_time": 20}'})
    assert retry_at_from_usage(full, NOW) == NOW + DEFAULT_BACKOFF
    half = httpx.Headers({"x-app-usage": '{"call_count": 50}'})
    assert retry_at_from_usage(half, NOW) is None


# -- the cursor ---------------------------------------------------------------------------------


@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_any_cursor_loads_or_is_malformed(cursor: str) -> None:
    with contextlib.suppress(MalformedResponse):
        Watermark.load(cursor, "facebook")


handed_over = st.lists(
    st.tuples(st.text(min_size=1, max_size=8), st.integers(0, 3600)),
    max_size=30,
    unique_by=lambda pair: pair[0],
)


@given(handed_over)
def test_a_dumped_cursor_admits_nothing_it_handed_over(items: list[tuple[str, int]]) -> None:
    mark = Watermark.load(None, "facebook")
    for remote_id, seconds in items:
        mark.add(remote_id, NOW + timedelta(seconds=seconds))
    again = Watermark.load(mark.dump(), "facebook")
    for remote_id, seconds in items:
        assert not again.admits(remote_id, NOW + timedelta(seconds=seconds))
    if mark.newest is not None:
        assert again.admits("new", mark.newest)
        assert not again.admits("too-old", mark.newest - OVERLAP - timedelta(seconds=1))


# -- objects of any shape -----------------------------------------------------------------------

comment = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=5)},
    optional={
        "created_time": st.just("2026-11-23T08:00:00+0000") | json_values,
        "timestamp": st.just("2026-11-23T08:00:00+0000") | json_values,
        "message": json_values,
        "text": json_values,
        "username": json_values,
        "from": json_values | st.fixed_dictionaries({"id": json_values, "name": json_values}),
        "user": json_values,
        "parent": json_values | st.fixed_dictionaries({"id": json_values}),
        "attachment": json_values,
        "replies": json_values,
    },
)
graph_object = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=5)},
    optional={
        "created_time": st.just("2026-11-23T08:00:00+0000") | json_values,
        "from": json_values,
        "message": json_values,
        "comments": json_values | st.fixed_dictionaries({"data": st.lists(comment, max_size=3)}),
    },
)


def offline(
    cls: type[FacebookConnector] | type[InstagramConnector],
) -> FacebookConnector | InstagramConnector:
    options = (
        FacebookOptions(page_id="1", token_env="T")
        if cls is FacebookConnector
        else InstagramOptions(ig_user_id="1", token_env="T")
    )
    settings = ConnectorSettings(name="c", type=cls.type, channel=cls.type, options=options)
    return cls(settings, environ={})


@pytest.mark.parametrize("cls", [FacebookConnector, InstagramConnector])
@given(item=graph_object)
def test_objects_of_any_shape_fail_only_as_malformed(
    cls: type[FacebookConnector] | type[InstagramConnector], item: dict
) -> None:
    connector = offline(cls)
    with contextlib.suppress(MalformedResponse):  # anything else fails the test
        for message in asyncio.run(connector.read_object(item, Watermark())):
            assert isinstance(message.text, str) and message.created_at.tzinfo is not None


# -- config -------------------------------------------------------------------------------------

HEAD = '[team]\ntimezone = "Europe/Amsterdam"\n\n[[connectors]]\nname = "c"\n'


def test_config_takes_both_types_with_their_defaults() -> None:
    text = HEAD + 'type = "facebook"\npage_id = "2121008874780932"\ntoken_env = "FB"\n'
    text += '\n[[connectors]]\nname = "i"\ntype = "instagram"\n'
    text += 'ig_user_id = "17841406338772941"\ntoken_env = "IG"\napi_version = "v24.0"\n'
    facebook, instagram = parse_config(text, Path("/etc/webcare.toml")).connectors
    assert facebook.options == FacebookOptions(page_id="2121008874780932", token_env="FB")
    assert isinstance(facebook.options, FacebookOptions)
    assert isinstance(instagram.options, InstagramOptions)
    assert facebook.options.graph_url == "https://graph.facebook.com"
    assert facebook.options.api_version == "v25.0"
    assert instagram.options.api_version == "v24.0"
    warnings = FacebookConnector.check_options(facebook.options, {})
    assert warnings == ["token_env: FB is not set in the environment"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('type = "facebook"\npage_id = "my-page"\ntoken_env = "FB"\n', "page_id"),
        ('type = "facebook"\npage_id = "1"\ntoken_env = "FB"\napi_version = "25"\n', "api_version"),
        ('type = "facebook"\ntoken_env = "FB"\n', "page_id"),
        ('type = "instagram"\nig_user_id = "1"\n', "token_env"),
        ('type = "instagram"\nig_user_id = "1"\ntoken_env = "T"\ngraph_url = "g"\n', "graph_url"),
        ('type = "instagram"\nig_user_id = "1"\ntoken_env = "T"\npage_id = "2"\n', "page_id"),
    ],
)  # fmt: skip
def test_config_names_the_bad_key(body: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + body, Path("/etc/webcare.toml"))
    assert key in str(caught.value)

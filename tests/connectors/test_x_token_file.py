"""X rotates refresh tokens: the pair a refresh gives is kept beside the database (0600), read
first on the next start, and a refused refresh says plainly that a new token is needed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from tests.cli.workspace import HEADER, webcare
from tests.fakes.server import FakeServer, assert_secret_free
from tests.fakes.x import CLIENT_ID, REFRESH_TOKEN, TOKEN, FakeX, x_connector
from webcare_tui.connectors.base import AuthFailed
from webcare_tui.connectors.x import XConnector
from webcare_tui.services.registry import build_connector

Env = tuple[FakeX, FakeServer]
REFUSED = "X token expired and the refresh was refused: set a new token"


def renewing(
    server: FakeServer, http: httpx.AsyncClient, folder: Path, refresh: str = REFRESH_TOKEN
) -> XConnector:
    """An X connector that may refresh, keeping its files in `folder`, as a start of the
    poller builds it."""
    settings = x_connector(
        server, http, refresh_token_env="ACME_X_REFRESH", client_id=CLIENT_ID
    ).settings
    environ = {"ACME_X_TOKEN": TOKEN, "ACME_X_REFRESH": refresh}
    connector = build_connector(
        settings, database=folder / "webcare.db", http=http, environ=environ
    )
    assert isinstance(connector, XConnector)
    return connector


def stored(folder: Path) -> dict[str, str]:
    return dict(json.loads((folder / "x-tokens-acme-x.json").read_text(encoding="utf-8")))


async def refreshed_once(
    fake: FakeX, server: FakeServer, http: httpx.AsyncClient, folder: Path
) -> str:
    """Poll once across an expiry, so that a rotated pair is stored in `folder`; the cursor."""
    connector = renewing(server, http, folder)
    fake.expire_token()
    cursor = (await connector.fetch(None)).cursor
    assert cursor is not None
    return cursor


async def test_a_refresh_stores_the_rotated_pair_readable_by_us_only(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    connector = renewing(server, http, tmp_path)
    cursor = (await connector.fetch(None)).cursor
    assert not (tmp_path / "x-tokens-acme-x.json").exists()  # nothing to keep yet
    fake.expire_token()
    await connector.fetch(cursor)
    path = tmp_path / "x-tokens-acme-x.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pair = stored(tmp_path)
    assert pair["access_token"] == fake.token and pair["refresh_token"] == fake.refresh_token
    assert fake.refresh_token != REFRESH_TOKEN
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


async def test_after_a_restart_the_stored_pair_is_used(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    cursor = await refreshed_once(fake, server, http, tmp_path)
    restarted = renewing(server, http, tmp_path)  # the environment still holds the dead pair
    fake.mention("after the restart")
    result = await restarted.fetch(cursor)
    assert [m.text for m in result.messages] == ["@TweepyDev after the restart"]
    assert len(server.calls("/2/oauth2/token")) == 1  # the stored access token still worked
    fake.expire_token()
    await restarted.fetch(result.cursor)  # renewed with the stored refresh token
    assert len(server.calls("/2/oauth2/token")) == 2
    assert stored(tmp_path)["refresh_token"] == fake.refresh_token


async def test_new_tokens_in_the_environment_win_over_the_stored_pair(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    await refreshed_once(fake, server, http, tmp_path)
    fake.expire_token()
    fake.refresh_token = "x-refresh-after-authorising-again"  # someone authorised again
    again = renewing(server, http, tmp_path, refresh=fake.refresh_token)
    await again.fetch(None)
    assert stored(tmp_path)["refresh_token"] == fake.refresh_token


async def test_a_refused_refresh_of_the_stored_token_says_to_set_a_new_one(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    await refreshed_once(fake, server, http, tmp_path)
    leaked = stored(tmp_path)
    fake.expire_token()
    fake.refresh_token = "x-refresh-revoked-elsewhere"
    with pytest.raises(AuthFailed) as caught:
        await renewing(server, http, tmp_path).fetch(None)
    message = str(caught.value)
    assert REFUSED in message and "ACME_X_TOKEN and ACME_X_REFRESH" in message
    assert "x-tokens-acme-x.json" in message
    assert_secret_free(caught.value, TOKEN, REFRESH_TOKEN, *leaked.values())


async def test_an_unreadable_token_file_falls_back_to_the_environment(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    (tmp_path / "x-tokens-acme-x.json").write_text('{"access_token": 7', encoding="utf-8")
    fake.expire_token()
    await renewing(server, http, tmp_path).fetch(None)
    assert stored(tmp_path)["refresh_token"] == fake.refresh_token


async def test_a_pair_that_cannot_be_stored_still_works_and_says_so(
    x_api: Env, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake, server = x_api
    connector = renewing(server, http, tmp_path / "gone")
    fake.expire_token()
    result = await connector.fetch(None)
    assert [w for w in result.warnings if "could not be stored" in w]
    fake.mention("still read")
    assert [m.text for m in (await connector.fetch(result.cursor)).messages] == [
        "@TweepyDev still read"
    ]


CONFIG = (
    HEADER
    + """
[[connectors]]
name = "acme-x"
type = "x"
base_url = "{base_url}"
user_id = "{user_id}"
token_env = "ACME_X_TOKEN"
refresh_token_env = "ACME_X_REFRESH"
client_id = "{client_id}"
"""
)


def test_status_says_when_the_stored_refresh_was_refused(
    x_api: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, server = x_api
    monkeypatch.setenv("ACME_X_TOKEN", TOKEN)
    monkeypatch.setenv("ACME_X_REFRESH", REFRESH_TOKEN)
    config = tmp_path / "config.toml"
    config.write_text(
        CONFIG.format(base_url=server.base_url, user_id=fake.brand["id"], client_id=CLIENT_ID),
        encoding="utf-8",
    )
    fake.expire_token()
    assert webcare(config, "poll", "--once") == 0  # renewed, and the new pair stored
    assert stat.S_IMODE((tmp_path / "x-tokens-acme-x.json").stat().st_mode) == 0o600
    assert webcare(config, "poll", "--once") == 0  # the stored access token, no refresh
    assert len(server.calls("/2/oauth2/token")) == 1
    fake.expire_token()
    fake.refresh_token = "x-refresh-revoked-elsewhere"
    webcare(config, "poll", "--once")
    capsys.readouterr()
    assert webcare(config, "status") == 0
    shown = capsys.readouterr().out
    assert REFUSED in shown
    assert TOKEN not in shown and REFRESH_TOKEN not in shown

"""What a user sees when the servers are hostile: no escape sequence in the output of `poll`,
`status`, `threads`, `show`, `reply` or `import`, and `poll --once` fails when everything did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.workspace import PlatformsConfig, webcare
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.hostile import NASTY, assert_terminal_safe
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.server import FakeServer, Reply, json_reply
from webcare_tui.connectors import http_errors

LIST = "/xrpc/app.bsky.notification.listNotifications"
GOOD = "Wat vervelend! Stuur je ons een DM met je ordernummer? Dan zoek ik het uit. ^AB"


@pytest.fixture
def config(platforms_config: PlatformsConfig) -> Path:
    return platforms_config()


def said(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert_terminal_safe(out.out + out.err)
    return out.out + out.err


def test_no_command_writes_a_servers_escape_sequences(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = mastodon
    notification = fake.add_mention(NASTY, acct=f"klant{NASTY}@x.example", display_name=NASTY)
    notification["status"]["spoiler_text"] = NASTY
    fake.add_mention("poisoned")["status"]["created_at"] = "0001-01-01T00:00:00Z"
    bluesky[1].fail(LIST, json_reply({"error": NASTY, "message": NASTY}, 502))
    assert webcare(config, "poll", "--once") == 0
    assert "acme-social: 1 new messages, 1 new threads, 1 skipped" in said(capsys)

    assert webcare(config, "status") == 0
    status = said(capsys)
    assert "1 item skipped, latest " in status and "before 2000" in status
    assert "answered 502 (" in status and "evil)" in status

    assert webcare(config, "threads") == 0
    said(capsys)
    assert webcare(config, "threads", "--json") == 0
    [thread] = json.loads(said(capsys))
    assert webcare(config, "show", str(thread["id"])) == 0
    said(capsys)

    server.fail("/api/v1/statuses", json_reply({"error": f"Validation failed: {NASTY}"}, 422))
    assert webcare(config, "reply", str(thread["id"]), "--text", GOOD, "--force") == 1
    assert "Validation failed" in said(capsys)
    server.fail("/api/v1/statuses", json_reply({"id": f"9{NASTY}", "created_at": NASTY}))
    assert webcare(config, "reply", str(thread["id"]), "--text", GOOD, "--force") == 0
    assert said(capsys) == "931mevil\n"  # the id the server gave, its escape sequences gone


def test_poll_once_exits_1_when_every_connector_failed_and_names_them(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    mastodon[1].fail("/api/v1/notifications", Reply(503))
    bluesky[1].fail(LIST, Reply(500))
    assert webcare(config, "poll", "--once") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "webcare: every connector failed: acme-social, acme-bsky"


def test_poll_once_exits_0_when_one_connector_still_works(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bluesky[1].fail(LIST, Reply(500))
    assert webcare(config, "poll", "--once") == 0
    assert "acme-bsky: failed: " in capsys.readouterr().err


def test_import_of_hostile_lines_writes_no_escape_sequence(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"remote_id": "1", "author": NASTY, "text": NASTY,
                    "created_at": "2026-11-22T08:00:00Z", "author_name": NASTY}),
        json.dumps({"remote_id": f"2{NASTY}", "author": "a", "text": "t",
                    "created_at": "2026-11-22T08:00:00Z"}),
        json.dumps({"remote_id": "3", "author": "a", "text": "t", "created_at": NASTY}),
        NASTY,
    ]  # fmt: skip
    source = config.with_name("hostile.jsonl")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    assert webcare(config, "import", str(source), "--connector", "acme-social") == 0
    out = said(capsys)
    assert "Read 4 lines: 1 imported, 0 already there, 3 skipped." in out
    assert webcare(config, "show", "1") == 0
    said(capsys)


def test_import_into_a_connector_that_is_not_configured_is_bad_usage(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = config.with_name("e.jsonl")
    line = {"remote_id": "1", "author": "a", "text": "t", "created_at": "2026-11-22T08:00:00Z"}
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert webcare(config, "import", str(source), "--connector", "acme-socail") == 2
    err = capsys.readouterr().err
    assert "'acme-socail' is not a configured connector" in err and "acme-social" in err
    assert webcare(config, "threads", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing imported under the typo


def test_import_exits_1_when_no_line_could_be_read(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = config.with_name("photo.jpg")
    source.write_bytes(b"\xff\xd8\xff\xe0 JFIF\n\x00\x01\n")
    assert webcare(config, "import", str(source), "--connector", "acme-social") == 1
    out = said(capsys)
    assert "Read 2 lines: 0 imported, 0 already there, 2 skipped." in out
    assert "no line could be read as a mention" in out


def test_poll_once_gives_up_on_a_dripping_server_at_the_deadline(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dripping = json_reply([{"id": str(i)} for i in range(100)])
    dripping.drip_every = 0.05  # never silent long enough for a read timeout
    mastodon[1].fail("/api/v1/notifications", dripping)
    monkeypatch.setattr(http_errors, "REQUEST_DEADLINE", 0.5)
    assert webcare(config, "poll", "--once") == 0  # Bluesky still worked
    err = said(capsys)
    assert "acme-social: failed: mastodon: 127.0.0.1 did not finish answering within 0.5 s" in err

"""Facebook and Instagram as a user meets them: a config file, `webcare poll --once`,
`threads` and `reply`, against the fake Graph servers on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.workspace import HEADER, webcare
from tests.fakes.facebook import PAGE_ID, FakeFacebook, facebook
from tests.fakes.graph import TOKEN
from tests.fakes.instagram import IG_USER_ID, FakeInstagram, instagram
from tests.fakes.server import FakeServer

__all__ = ["facebook", "instagram"]  # the fixture, imported for pytest

CONFIG = (
    HEADER
    + """
[[connectors]]
name = "acme-fb"
type = "facebook"
graph_url = "{facebook}"
page_id = "{page_id}"
token_env = "ACME_FB_TOKEN"

[[connectors]]
name = "acme-ig"
type = "instagram"
graph_url = "{instagram}"
ig_user_id = "{ig_user_id}"
token_env = "ACME_IG_TOKEN"
"""
)


@pytest.fixture
def config(
    tmp_path: Path,
    facebook: tuple[FakeFacebook, FakeServer],
    instagram: tuple[FakeInstagram, FakeServer],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setenv("ACME_FB_TOKEN", TOKEN)
    monkeypatch.setenv("ACME_IG_TOKEN", TOKEN)
    path = tmp_path / "config.toml"
    path.write_text(
        CONFIG.format(
            facebook=facebook[1].base_url,
            page_id=PAGE_ID,
            instagram=instagram[1].base_url,
            ig_user_id=IG_USER_ID,
        ),
        encoding="utf-8",
    )
    return path


def threads(config: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert webcare(config, "threads", "--json") == 0
    return list(json.loads(capsys.readouterr().out))


def test_poll_and_reply_on_both_platforms(
    config: Path,
    facebook: tuple[FakeFacebook, FakeServer],
    instagram: tuple[FakeInstagram, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fb, ig = facebook[0], instagram[0]
    fb.add_comment(fb.add_post(), "Mijn pakket is niet aangekomen")
    ig.add_comment(ig.add_media(), "Verkeerde maat geleverd")
    assert webcare(config, "check-config") == 0
    assert webcare(config, "poll", "--once") == 0
    polled = capsys.readouterr().out
    assert "acme-fb: 1 new messages, 1 new threads" in polled
    assert "acme-ig: 1 new messages, 1 new threads" in polled
    by_connector = {t["connector"]: t for t in threads(config, capsys)}
    assert by_connector["acme-fb"]["channel"] == "facebook"
    text = "Wat vervelend! We zoeken het uit. ^AB"
    assert webcare(config, "reply", str(by_connector["acme-fb"]["id"]), "--text", text) == 0
    [ours] = fb.ours()
    assert ours["message"] == text and capsys.readouterr().out.strip() == ours["id"]
    ig_text = "Sorry! Stuur je ons je ordernummer? ^AB"
    assert webcare(config, "reply", str(by_connector["acme-ig"]["id"]), "--text", ig_text) == 0
    [ig_ours] = ig.ours()
    assert ig_ours["text"] == ig_text
    assert webcare(config, "poll", "--once") == 0  # our own replies come back: no doubles
    out = capsys.readouterr().out
    assert "acme-fb: 0 new messages" in out and "acme-ig: 0 new messages" in out
    assert [t["state"] for t in threads(config, capsys)] == ["replied", "replied"]

"""A team on one SQLite file, as real processes: agents replying beside a poller and a reader,
eight agents racing for one thread, and processes killed (`kill -9`) mid-write. Nothing is
lost, doubled or stuck."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.test_cli_reply import DEMO
from webcare_tui.services.presence import STALE_SECONDS, team_status
from webcare_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Dank voor je bericht, we zoeken het voor je uit."


def workspace(tmp_path: Path, threads: int) -> Path:
    (tmp_path / "config.toml").write_text(DEMO, encoding="utf-8")
    (tmp_path / "config.toml").chmod(0o600)
    export = tmp_path / "mentions.jsonl"
    lines = [
        {"remote_id": str(n), "author": f"klant{n}@x.example", "text": f"Vraag {n}",
         "created_at": "2026-11-23T08:00:00Z"}
        for n in range(threads)
    ]  # fmt: skip
    export.write_text("\n".join(json.dumps(m) for m in lines) + "\n", encoding="utf-8")
    assert webcare(tmp_path, "AB", "import", str(export), "--connector", "demo").wait() == 0
    return tmp_path


def webcare(folder: Path, agent: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "WEBCARE_AGENT": agent, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "webcare_tui", *args, "--config", str(folder / "config.toml"),
         "--db", str(folder / "w.db")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def run_json(folder: Path, *args: str) -> Any:
    process = webcare(folder, "AB", *args, "--json")
    out, err = process.communicate()
    assert process.returncode == 0, err
    return json.loads(out)


def outgoing(folder: Path, thread: int) -> list[dict[str, Any]]:
    shown = run_json(folder, "show", str(thread))
    return [m for m in shown["messages"] if m["direction"] == "out"]


def test_eight_agents_race_for_one_thread_and_exactly_one_reply_goes_out(tmp_path: Path) -> None:
    folder = workspace(tmp_path, 1)
    [thread] = [t["id"] for t in run_json(folder, "threads")]
    agents = [f"A{n}" for n in range(8)]
    racers = [webcare(folder, a, "reply", str(thread), "--text", f"{TEXT} ^{a}") for a in agents]
    results = [(p.wait(), p.communicate()) for p in racers]
    winners = [a for a, (code, _) in zip(agents, results, strict=True) if code == 0]
    assert len(winners) == 1, results
    for code, (_, err) in results:
        assert code in (0, 1) and "Traceback" not in err
        if code == 1:
            assert f"assigned to {winners[0]}" in err
    sent = outgoing(folder, thread)
    assert len(sent) == 1 and sent[0]["text"].startswith(TEXT)
    assert run_json(folder, "show", str(thread))["assignee"] == winners[0]


def test_eight_agents_reply_beside_the_poller_and_a_reader(tmp_path: Path) -> None:
    folder = workspace(tmp_path, 8)
    threads = sorted(t["id"] for t in run_json(folder, "threads"))
    agents = [f"A{n}" for n in range(8)]
    poller = webcare(folder, "poller", "poll")
    readers = [webcare(folder, "AB", "threads", "--json") for _ in range(3)]
    repliers = [
        webcare(folder, a, "reply", str(t), "--text", f"{TEXT} ^{a}")
        for a, t in zip(agents, threads, strict=True)
    ]
    try:
        for process in [*repliers, *readers]:
            _, err = process.communicate()
            assert process.returncode == 0, err
    finally:
        poller.send_signal(signal.SIGTERM)  # the service manager's stop: lease released
        poller.communicate()
    for agent, thread in zip(agents, threads, strict=True):
        assert len(outgoing(folder, thread)) == 1
        assert run_json(folder, "show", str(thread))["assignee"] == agent
    store = Store(folder / "w.db")
    try:
        assert store.lease("poller") is None
    finally:
        store.close()


def test_kill_9_at_random_points_of_ingest_claim_and_heartbeat_loses_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.db"
    Store(db).close()
    rng = random.Random(1313)
    committed: list[str] = []
    for round_ in range(4):
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.services.team_worker",
                    str(db),
                    f"W{round_}{n}",
                    str(round_ * 10 + n),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(3)
        ]
        for worker in workers:
            assert worker.stdout is not None
            for _ in range(rng.randrange(5, 40)):  # a random point of its work
                committed.append(worker.stdout.readline().strip())
            worker.kill()
        for worker in workers:
            worker.wait()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT remote_id FROM messages")}
        ingested = [line.split()[2] for line in committed if line.startswith("done ingest")]
        assert set(ingested) <= stored  # every acknowledged write is there
        assert len(ingested) == len(set(ingested))
        rows = conn.execute("SELECT COUNT(*), COUNT(DISTINCT remote_id) FROM messages").fetchone()
        assert rows[0] == rows[1]  # nothing doubled
    finally:
        conn.close()
    store = Store(db)
    try:
        from datetime import timedelta

        from tests.fakes.clock import FROZEN_NOW

        later = FROZEN_NOW + timedelta(seconds=STALE_SECONDS + 1)
        assert not any(s.active for s in team_status(store, later))  # dead TUIs stop counting
        assert store.prune_presence(later) > 0
        # Nothing stuck: a new agent can still claim and write.
        thread = store.feed_page(limit=1)[0].id
        store.hand_over(thread, "NEW", "NEW", reason="the workers died", now=later)
        assert store.thread(thread).assignee == "NEW"
    finally:
        store.close()

"""A failing store never fails silently: under every thread action the agent sees a notice.

The store is made to fail the way a full disk or a damaged file would, one method at a time;
the agent then drives the app by its keys and must see one notice naming what went wrong.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.pilot import press_and_settle, running, settle
from webcare_tui.store import StoreError
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.failures import UNEXPECTED, ForwardsWorkerFailures
from webcare_tui.ui.messages import DataChanged
from webcare_tui.ui.screens.reply import ReplyScreen
from webcare_tui.ui.screens.thread import ThreadScreen

# Markup and an escape sequence, as a platform's error text might carry them.
BROKEN = "[b]disk[/b] is full \x1b[31m"
SHOWN = "[b]disk[/b] is full"


class DiskFull(StoreError):
    title = "database full"


Driver = Callable[[Pilot[None]], Awaitable[None]]


async def open_thread(pilot: Pilot[None]) -> None:
    await press_and_settle(pilot, "enter")
    assert isinstance(pilot.app.screen, ThreadScreen)


async def open_reply(pilot: Pilot[None]) -> None:
    await open_thread(pilot)
    await press_and_settle(pilot, "r")
    assert isinstance(pilot.app.screen, ReplyScreen)


async def assign(pilot: Pilot[None]) -> None:
    await pilot.press("a")


async def escalate(pilot: Pilot[None]) -> None:
    await press_and_settle(pilot, "e")
    await pilot.press("enter", *"0612345678", "enter")  # phone, its number, no note


async def ignore(pilot: Pilot[None]) -> None:
    await pilot.press("i", "s")  # s: spam


async def explain(pilot: Pilot[None]) -> None:
    await pilot.press("w")


async def filter_feed(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"forum")


async def refresh_everything(pilot: Pilot[None]) -> None:
    pilot.app.post_message(DataChanged())  # as when a colleague changes a thread


async def type_in_draft(pilot: Pilot[None]) -> None:
    await pilot.press(*"Sorry")


async def send_reply(pilot: Pilot[None]) -> None:
    await pilot.press(*"Sorry, ik zoek het uit.", "ctrl+s")


async def undo_send(pilot: Pilot[None]) -> None:
    await pilot.press("u")


async def nothing(pilot: Pilot[None]) -> None:
    return None


async def queue_a_reply(pilot: Pilot[None]) -> None:
    await open_reply(pilot)
    await send_reply(pilot)
    await settle(pilot)


# (what the agent does, the store method that breaks, how to get there, the action itself)
CASES: list[tuple[str, str, Driver, Driver]] = [
    ("assign", "assign", nothing, assign),
    ("escalate", "escalate", nothing, escalate),
    ("ignore", "set_state", nothing, ignore),
    ("w explains the due time", "thread", nothing, explain),
    ("the feed reloads", "feed_count", nothing, filter_feed),
    ("the header counts", "counts", nothing, refresh_everything),
    ("open a thread", "messages", nothing, open_thread),
    ("open the draft", "draft", open_thread, lambda pilot: pilot.press("r")),
    ("the draft is saved", "save_draft", open_reply, type_in_draft),
    ("reply send", "queue_reply", open_reply, send_reply),
    ("undo a send", "cancel_reply", queue_a_reply, undo_send),
]


def notices(app: WebcareApp) -> list[tuple[str, str, bool]]:
    return [(n.title, n.message, n.markup) for n in app._notifications]


@pytest.mark.parametrize(
    ("method", "before", "action"),
    [pytest.param(method, before, action, id=name) for name, method, before, action in CASES],
)
async def test_a_store_failure_under_each_action_is_shown(
    build_app: Callable[..., WebcareApp],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    before: Driver,
    action: Driver,
) -> None:
    app = build_app()
    async with running(app, size=(80, 24), notifications=True) as pilot:
        await before(pilot)
        await settle(pilot)
        assert not [n for n in notices(app) if n[1] == SHOWN]

        def broken(*args: object, **kwargs: object) -> object:
            raise DiskFull(BROKEN)

        monkeypatch.setattr(app.store, method, broken)
        await action(pilot)
        await settle(pilot)
        assert notices(app).count(("database full", SHOWN, False)) == 1
        assert app.is_running


async def test_an_unexpected_error_gets_a_title_and_its_kind(
    build_app: Callable[..., WebcareApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app()
    async with running(app, size=(80, 24), notifications=True) as pilot:

        def broken(*args: object, **kwargs: object) -> object:
            raise KeyError("clock_kind")

        monkeypatch.setattr(app.store, "thread", broken)
        await explain(pilot)
        await settle(pilot)
        [notice] = [n for n in app._notifications if n.severity == "error"]
        assert (notice.title, notice.message) == (UNEXPECTED, "KeyError: 'clock_kind'")


def _classes_running_workers() -> list[type]:
    """Every class in webcare_tui.ui with a method decorated by `@work`."""
    import importlib

    import webcare_tui.ui as ui

    found = []
    root = Path(inspect.getfile(ui)).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text())
        module = None
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            methods = [
                f for f in node.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            if not any(_is_work(d) for f in methods for d in f.decorator_list):
                continue
            if module is None:
                dotted = ".".join(path.relative_to(root.parent.parent).with_suffix("").parts)
                module = importlib.import_module(dotted)
            found.append(getattr(module, node.name))
    return found


def _is_work(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Name) and target.id == "work"


def test_every_screen_and_widget_with_workers_reports_failures_to_the_app() -> None:
    classes = _classes_running_workers()
    assert WebcareApp in classes and len(classes) > 3
    strays = [
        c.__name__
        for c in classes
        if c is not WebcareApp and not issubclass(c, ForwardsWorkerFailures)
    ]
    assert strays == []

"""How failures reach the agent: one plain line with a title, and the App's backstop.

Textual delivers `Worker.StateChanged` only to the node that ran the worker (it does not
bubble), so every screen and widget that runs workers mixes in `ForwardsWorkerFailures`: a
failure then reaches the App like one of its own workers' failures.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from webcare_tui.core.sanitize import clean_text

UNEXPECTED = "unexpected error"


class ForwardsWorkerFailures:
    """Mixed into a screen or widget: its failed workers are reported to the App."""

    def _on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        node = event.worker.node
        if event.state is WorkerState.ERROR and node is not node.app:
            node.app.post_message(Worker.StateChanged(event.worker, event.state))


def one_line(text: str) -> str:
    """`text` as one line without control characters: an error may quote a platform's answer
    or a stranger's words, and a notice shows it as plain text, never as markup."""
    return " ".join(clean_text(text).split())


def failure_notice(error: BaseException) -> tuple[str, str]:
    """The (title, text) an agent sees for `error`: its own `title` where it has one (the
    store's and the outbox's errors do), else the kind of error, so nothing reads blank."""
    title = getattr(error, "title", None)
    text = one_line(str(error))
    if isinstance(title, str) and title:
        return title, text or type(error).__name__
    return UNEXPECTED, f"{type(error).__name__}: {text}" if text else type(error).__name__


def notify_failure(
    node: DOMNode,
    error: BaseException,
    *,
    severity: SeverityLevel = "error",
    title: str | None = None,
    text: str | None = None,
) -> None:
    """One notice for `error`: its title and its text as one plain line. Thread-safe."""
    own_title, own_text = failure_notice(error)
    shown = one_line(text) if text is not None else own_text
    node.app.notify(shown, title=title or own_title, severity=severity, markup=False)

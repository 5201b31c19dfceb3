"""Why the outbox will not take a reply. Each has a `title`, a short line for the UI."""

from __future__ import annotations

from webcare_tui.core.checks import Finding, blocking

__all__ = [
    "ChannelCannotSend",
    "DraftRefused",
    "NothingToSend",
    "OutboxError",
    "ReasonNeeded",
    "StoredPhoneInText",
]


class OutboxError(Exception):
    """A reply the outbox will not take. `title` is a short line for the UI."""

    title = "not sent"


class DraftRefused(OutboxError):
    """Blocking findings stop the reply; sending anyway needs `force`."""

    title = "the checks stop this reply"

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.blocking = blocking(findings)
        count = len(self.blocking)
        super().__init__(f"{count} check{'s' if count != 1 else ''} stop this reply")


class ReasonNeeded(OutboxError):
    """Sending past a blocking check takes the agent's reason, for the record."""

    title = "a reason is needed"

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        codes = ", ".join(
            dict.fromkeys(f.code for f in blocking(findings) if f.code != "ownership")
        )
        super().__init__(f"sending past {codes} needs a reason, for the record")


class NothingToSend(OutboxError):
    title = "nothing to send"


class ChannelCannotSend(OutboxError):
    title = "this channel cannot send"


class StoredPhoneInText(OutboxError):
    """The text holds the customer's phone number from a phone escalation: never sent,
    however the agent insists (`force` does not apply)."""

    title = "phone number in the text"

    def __init__(self) -> None:
        super().__init__(
            "the text contains the customer's phone number; it stays on the thread only"
        )

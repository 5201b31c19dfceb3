"""What a draft check reports: one `Finding` per problem, with the rule and data line behind it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["block", "warn"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with a draft: a `block` stops sending (unless forced), a `warn` only shows.

    `rule` names the rule that fired (`tone.lecturing`, `privacy.phone`) and `source` where it
    is written down: a data line (`data/tone/nl.toml:42`) or a built-in rule's name, so an agent
    who thinks it a false alarm knows what to change.
    """

    code: str
    severity: Severity
    message: str  # why, in a short English sentence
    fix: str  # what to do about it
    span: tuple[int, int] | None = None  # where in the draft text, half-open
    rule: str = ""
    source: str = ""

    @property
    def explanation(self) -> str:
        """`tone.lecturing from data/tone/nl.toml:42`: which rule fired, and where it lives."""
        rule = self.rule or self.code
        return f"{rule} from {self.source}" if self.source else rule


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop a reply from being sent."""
    return [finding for finding in findings if finding.severity == "block"]

"""What the checks say about the draft, live under it: each finding with why and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from webcare_tui.core.checks import Finding

_MARKS = {"block": "✗ ", "warn": "! "}


def findings_text(
    findings: Sequence[Finding], styles: dict[str, str] | None = None, *, empty: bool = False
) -> Text:
    """One line per finding, blocking ones first as the checks order them, each ending with
    where its rule comes from; never markup.

    The findings quote the draft, which may hold anything the agent pasted: `Text`, not markup.
    `empty`: the draft says nothing yet, so "no findings" would be no praise.
    """
    styles = styles or {}
    text = Text(end="")
    if not findings:
        if empty:
            text.append("Write the reply; the signature stays on the last line.", styles.get("fix"))
        else:
            text.append("✓ No findings: good to send.", style=styles.get("ok", ""))
        return text
    for number, finding in enumerate(findings):
        if number:
            text.append("\n")
        severity = styles.get(finding.severity, "")
        text.append(_MARKS.get(finding.severity, "· "), style=severity)
        text.append(finding.message, style=severity)
        text.append("  ")
        text.append(finding.fix, style=styles.get("fix", ""))
        if finding.source:  # where the rule is written: what to change if it misfired
            text.append(f"  (from {finding.source})", style=styles.get("fix", ""))
    return text


class DraftFindings(Widget):
    """The findings of the latest check of the draft."""

    COMPONENT_CLASSES = {
        "draft-findings--block",
        "draft-findings--warn",
        "draft-findings--fix",
        "draft-findings--ok",
    }
    DEFAULT_CSS = """
    DraftFindings { height: auto; max-height: 6; padding: 0 1; }
    DraftFindings > .draft-findings--block { color: $error; text-style: bold; }
    DraftFindings > .draft-findings--warn { color: $warning; }
    DraftFindings > .draft-findings--fix { color: $text-muted; }
    DraftFindings > .draft-findings--ok { color: $success; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: tuple[Finding, ...] = ()
        self.empty = False
        self.checked = False

    def show(self, findings: Sequence[Finding], *, empty: bool = False) -> None:
        """Show these findings (repaints only when they changed: typing mostly changes none)."""
        findings = tuple(findings)
        if self.checked and (findings, empty) == (self.findings, self.empty):
            return
        self.findings, self.empty, self.checked = findings, empty, True
        self.refresh(layout=True)

    def render(self) -> Text:
        if not self.checked:
            return Text("", end="")
        styles = {
            name: str(self.get_component_rich_style(f"draft-findings--{name}", partial=True))
            for name in ("block", "warn", "fix", "ok")
        }
        return findings_text(self.findings, styles, empty=self.empty)

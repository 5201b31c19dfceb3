"""`A`: who is on shift, what each holds and is replying to, when each was last seen."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from webcare_tui.services.presence import AgentStatus
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen

AGENTS_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("escape", "back", "Back", id="agents.back"),
    Binding("A", "back", "Back", show=False, id="agents.close"),
]


def agent_line(status: AgentStatus, me: str, tz: tzinfo) -> Text:
    """One agent as a line: who, on shift or away, where, what they hold and reply to."""
    line = Text(end="")
    line.append(f"{status.agent:<6}", style="bold" if status.agent == me else "")
    if status.active:
        line.append("● on shift ")
    else:
        line.append("○ away     ", style="dim")
    if status.last_seen is not None:
        line.append(f"seen {status.last_seen.astimezone(tz):%H:%M:%S}  ")
    holding = status.holding
    line.append(f"holds {len(holding):>3}")
    if holding:
        shown = ", ".join(f"#{i}" for i in holding[:4]) + (" …" if len(holding) > 4 else "")
        line.append(f" ({shown})", style="dim")
    if status.replying_to is not None:
        line.append(f"  ✎ replying to #{status.replying_to}", style="bold")
    elif status.viewing is not None and status.active:
        line.append(f"  looking at #{status.viewing}", style="dim")
    return line


class AgentsScreen(WorkspaceScreen):
    BINDINGS = list(AGENTS_BINDINGS)
    DEFAULT_CSS = """
    AgentsScreen #agents-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    AgentsScreen #agents { height: 1fr; padding: 0 1; }
    AgentsScreen .empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"{self.workspace.config.team_name} · agents · escape back"), id="agents-title"
        )
        yield VerticalScroll(id="agents")
        yield Footer()

    def on_mount(self) -> None:
        self.data_changed()

    def data_changed(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="agents", exit_on_error=False)
    def _load(self) -> None:
        team = self.workspace.presence.team()
        self.app.call_from_thread(self._show, team)

    def _show(self, team: list[AgentStatus]) -> None:
        box = self.query_one("#agents", VerticalScroll)
        tz = self.workspace.clock.timezone
        with self.app.batch_update():
            box.remove_children()
            if not team:
                box.mount(Static("Nobody is on shift and nobody holds a thread.", classes="empty"))
                return
            active = sum(s.active for s in team)
            box.mount(Static(Text(f"{active} on shift · {len(team)} agents", style="dim")))
            box.mount_all([Static(agent_line(s, self.workspace.agent, tz)) for s in team])

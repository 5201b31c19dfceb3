"""The `webcare` command. Only the TUI imports Textual, and only when it starts.

Each module of this package holds a few commands (`COMMANDS`); `main.py` lists the modules.
"""

from webcare_tui.cli.main import main

__all__ = ["main"]

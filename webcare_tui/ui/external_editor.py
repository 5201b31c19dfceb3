"""`ctrl+e`: hand the draft to the agent's own editor, the way mail clients do."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from textual.app import App


class EditorUnavailable(Exception):
    """No editor could be run; the message says what to do about it."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """`$VISUAL`, else `$EDITOR`, split as a shell would (`code --wait` works)."""
    environ = os.environ if environ is None else environ
    value = (environ.get("VISUAL") or environ.get("EDITOR") or "").strip()
    if not value:
        raise EditorUnavailable(
            "No editor set: export EDITOR (for example EDITOR=nano) to edit drafts outside."
        )
    try:
        command = shlex.split(value)
    except ValueError as error:
        raise EditorUnavailable(f"Cannot read $EDITOR ({error}).") from None
    return command


def edit_in_editor(app: App[object], text: str, command: list[str]) -> str | None:
    """Suspend the app, edit `text` in `command`, and return the result.

    None when the editor reports failure (vim's `:cq`): the agent meant to throw the edit away.
    Raises EditorUnavailable when the terminal cannot be handed over or the editor won't start.
    """
    from textual.app import SuspendNotSupported

    handle, name = tempfile.mkstemp(prefix="webcare-draft-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            with app.suspend():
                result = subprocess.run([*command, str(path)], check=False)
        except SuspendNotSupported:
            raise EditorUnavailable(
                "This terminal cannot be handed to an editor; keep writing here."
            ) from None
        except OSError as error:
            raise EditorUnavailable(f"Could not start {command[0]}: {error.strerror}") from None
        if result.returncode != 0:
            return None
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    # Editors end a file with a newline the draft never had.
    return edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited

"""The architecture, checked: only the UI imports Textual, and CLI commands start light."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "webcare_tui.core.model",
    "webcare_tui.core.clock",
    "webcare_tui.core.threads",
    "webcare_tui.core.sanitize",
    "webcare_tui.core.importing",
    "webcare_tui.store",
    "webcare_tui.connectors.base",
    "webcare_tui.connectors.demo",
    "webcare_tui.services.poller",
    "webcare_tui.services.importer",
    "webcare_tui.services.registry",
    "webcare_tui.services.outbox",
    "webcare_tui.services.drafting",
    "webcare_tui.core.outbox",
    "webcare_tui.config",
    "webcare_tui.cli",
]


def test_core_store_connectors_and_services_load_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""

"""Who holds a claim or a lease: this host and process, and whether a holder still runs.

An outbox item is claimed by a process (`process_holder`); the poller lease is held by one
poller (`lease_holder`, tagged so two pollers in one process are told apart). Both are shown in
`webcare status` and the database, so they name the host and the process id.
"""

from __future__ import annotations

import os
import socket
import uuid


def process_holder() -> str:
    """`host:pid` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_holder() -> str:
    """`host:pid:tag`: like `process_holder`, and a short tag for this one holder."""
    return f"{process_holder()}:{uuid.uuid4().hex[:6]}"


def process_is_dead(holder: str) -> bool:
    """True only when `holder` (`host:pid`) was a process on this host that no longer runs."""
    host, _, pid_text = holder.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine's process: only the stale timeout can tell
    pid = int(pid_text)
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists but is not ours to signal
    return False

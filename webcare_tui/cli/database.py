"""`webcare check-db`: the database's integrity, schema version and file modes; how to recover."""

from __future__ import annotations

from webcare_tui.cli.context import Command, Context, fail


def recovery_steps(db: str) -> list[str]:
    """What to do with a damaged database, step by step."""
    return [
        "How to recover:",
        "  1. Stop every webcare on this database (each TUI and `webcare poll`).",
        f"  2. Move {db}, {db}-wal and {db}-shm aside (keep them: they are the evidence).",
        f"  3. Copy your last backup of {db} in its place, or leave none: webcare then starts "
        "an empty database and the poller fetches the recent mentions again.",
        "  To salvage what the damaged file still holds: "
        "`sqlite3 damaged.db .recover | sqlite3 recovered.db`, "
        "then `webcare check-db --db recovered.db` before you use it.",
    ]


def cmd_check_db(context: Context) -> int:
    from webcare_tui.store.integrity import check_database

    check = check_database(context.db)
    print(f"Database: {check.path}")
    if not check.exists:
        fail(f"there is no database at {check.path} (webcare creates one when first used)")
    if check.unreadable is not None:
        print(f"Integrity: cannot be read ({check.unreadable})")
    elif check.problems:
        print("Integrity: DAMAGED")
        for problem in check.problems:
            print(f"  {problem}")
    else:
        print("Integrity: ok")
    if check.schema_version is not None:
        state = "current" if check.schema_version == check.expected_version else "differs"
        print(
            f"Schema: version {check.schema_version} "
            f"(this webcare: {check.expected_version}, {state})"
        )
    if check.application_id is not None and not check.ours:
        print(f"Owner: another application (application_id {check.application_id:#x})")
    modes = ", ".join(
        f"{name} {mode:04o}" if mode is not None else f"{name} absent"
        for name, mode in check.modes.items()
    )
    print(f"File modes: {modes}")
    if check.open_to_others:
        print(
            f"  readable by every local user: {', '.join(check.open_to_others)}; "
            f"`chmod o-rwx` them (customers' messages are personal data)"
        )
    if check.damaged:
        print("\n".join(recovery_steps(str(check.path))))
        fail(f"the database {check.path} is damaged: see the steps above")
    if not check.ours:
        fail(f"{check.path} is not a webcare database")
    return 0


COMMANDS = [
    Command(
        "check-db",
        "the database's integrity, schema version and file modes; how to recover",
        cmd_check_db,
    ),
]

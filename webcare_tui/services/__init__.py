"""Services: the poller, the importer, the outbox, and the handles the TUI's screens get
(`workspace.Workspace`: a feed pager, a thread loader, thread actions, drafts, the inbox status
and the deadline watch). They join connectors and the store.

No Textual here: the TUI and the CLI both use these.
"""

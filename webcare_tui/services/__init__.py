"""Services: the poller, the importer, the outbox. They join connectors and the store.

No Textual here: the TUI and the CLI both use these.
"""

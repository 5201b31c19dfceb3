"""The domain core: threads, states, the response clock and draft checks.

Pure code: no I/O, no SQLite, no Textual. Everything here can be tested with plain values.
"""

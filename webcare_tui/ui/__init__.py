"""The Textual UI: the only package that imports Textual. It talks to the core and the store
(through workers), never to SQLite or HTTP directly."""

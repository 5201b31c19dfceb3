"""Connectors: speak HTTP to one platform and return plain data. No SQLite, no Textual."""

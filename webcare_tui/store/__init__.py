"""The store: the only code that touches SQLite."""

from webcare_tui.store.store import FeedKey, IngestResult, Store, StoreError

__all__ = ["FeedKey", "IngestResult", "Store", "StoreError"]

"""webcare-tui: a keyboard-driven terminal inbox for webcare teams."""

__version__ = "0.1.0"

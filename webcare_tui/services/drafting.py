"""Starting a draft: what the platform needs first, the signature last, canned text between."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from webcare_tui.core.window_text import duration_words

if TYPE_CHECKING:
    from webcare_tui.config import Config
    from webcare_tui.core.model import Thread

__all__ = [
    "draft_template",
    "placeholder_values",
    "says_something",
]


def draft_template(channel_kind: str, customer: str, signature: str) -> tuple[str, int]:
    """A new draft and where its cursor goes: `@handle ` first on Mastodon (a reply that does
    not mention the customer is not delivered to them), the signature on the last line."""
    opening = f"@{customer.lstrip('@')} " if channel_kind == "mastodon" and customer else ""
    return f"{opening}\n\n{signature}", len(opening)


def placeholder_values(thread: Thread, config: Config, lang: str) -> dict[str, str]:
    """What `{name}`, `{first_name}`, `{agent}`, `{window}` and `{handle}` stand for in a
    canned reply to this thread, `{window}` in the reply's language."""
    handle = thread.author.lstrip("@")
    name = (thread.author_name or "").strip()
    # "Anna de Vries" -> "Anna"; without a display name, the handle's user part.
    first = name.split()[0] if name else handle.split("@")[0]
    window = config.clock().window_for(thread.channel)
    words_lang = lang if lang in ("en", "nl") else "en"
    return {
        "name": name or handle,
        "first_name": first,
        "agent": config.agent_name or config.agent,
        "window": duration_words(
            window.first_response, words_lang, office_hours=window.hours is not None
        ),
        "handle": f"@{handle}",
    }


_MENTION_OR_SIGNATURE = regex.compile(r"@[\w.@-]+|\^[\p{L}\p{N}]{1,8}")


def says_something(text: str) -> bool:
    """Whether a draft holds more than a mention and a signature."""
    return bool(regex.search(r"[\p{L}\p{N}]", _MENTION_OR_SIGNATURE.sub("", text)))

"""The config's TUI settings checked against what the TUI declares: `[keys]` binding ids and
their keys, `[ui] theme`. Here because reading those declarations imports Textual."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from webcare_tui.config import Config
from webcare_tui.config.keymap import DeclaredBinding, keymap_problems
from webcare_tui.config.locate import Locator


def declared_scopes() -> list[list[DeclaredBinding]]:
    """The bindings with an id of every screen, dialog and widget of the TUI, one list per
    class (with what it inherits), each with the app's own."""
    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode

    import webcare_tui.ui as ui

    classes: dict[str, type[DOMNode]] = {}
    for module_info in pkgutil.walk_packages(ui.__path__, ui.__name__ + "."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                classes[f"{cls.__module__}.{cls.__qualname__}"] = cls

    def bindings(cls: type[DOMNode]) -> list[DeclaredBinding]:
        found: dict[str, DeclaredBinding] = {}
        for base in reversed(cls.__mro__):
            for binding in vars(base).get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    scope = cls.__qualname__
                    found[binding.id] = DeclaredBinding(
                        scope, binding.id, binding.key, binding.description
                    )
        return list(found.values())

    apps = [cls for cls in classes.values() if issubclass(cls, App)]
    everywhere = [binding for app in apps for binding in bindings(app)]
    scopes = [everywhere]
    for cls in classes.values():
        own = bindings(cls)
        if own and cls not in apps:
            scopes.append([*own, *everywhere])
    return scopes


def theme_names() -> set[str]:
    """Textual's own themes and the ones in `themes/` that load."""
    from textual.theme import BUILTIN_THEMES

    from webcare_tui.paths import themes_dir
    from webcare_tui.ui.themes import load_themes

    themes, _ = load_themes(themes_dir())
    return set(BUILTIN_THEMES) | {theme.name for theme in themes}


def check_ui_settings(config: Config) -> None:
    """Raise ConfigError for a `[keys]` entry or a `[ui] theme` the TUI cannot use."""
    locator = Locator(config.source, config.path)
    problems = keymap_problems(config.keys, declared_scopes())
    if problems:
        binding, what = problems[0]
        raise locator.error("keys", None, binding, what)
    names = theme_names()
    if config.theme not in names:
        expected = f"unknown theme {config.theme!r}; expected one of {', '.join(sorted(names))}"
        raise locator.error("ui", None, "theme", expected)

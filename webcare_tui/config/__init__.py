"""The TOML config, validated. A bad file fails with its path, line, key and what was expected."""

from webcare_tui.config.demo import DEMO_CONFIG, demo_config
from webcare_tui.config.model import Config, ConfigError, OverrideMode
from webcare_tui.config.read import load_config, parse_config
from webcare_tui.config.values import agent_identity, parse_interval

__all__ = [
    "DEMO_CONFIG",
    "Config",
    "ConfigError",
    "OverrideMode",
    "agent_identity",
    "demo_config",
    "load_config",
    "parse_config",
    "parse_interval",
]

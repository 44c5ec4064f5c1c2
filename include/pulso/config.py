"""Stable import path kept for external tools (the conformance runners import
`pulso.config.Account`). The configuration lives in `pulso.core.config`; import it from there.
"""

from pulso.core.config import Account, ConfigError, PulsoConfig, get_config, load_config

__all__ = ["Account", "ConfigError", "PulsoConfig", "get_config", "load_config"]

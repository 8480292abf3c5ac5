"""The rules, loaded once: ``load_config()`` reads and checks ``rules/`` into a typed ``Config``."""

from anonymiser.config.load import DEFAULT_RULES, load_config
from anonymiser.config.rules import STRATEGIES, Config

__all__ = ["DEFAULT_RULES", "STRATEGIES", "Config", "load_config"]

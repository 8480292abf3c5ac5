"""The shipped rules (YAML, word lists, gazetteers): installed as the package ``anonymiser.rules``."""

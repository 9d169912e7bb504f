"""The scale benchmark: a generator of synthetic corpora and a runner (`make bench`)."""

"""Norms as data: the regulation's numbers with effective dates (``data/norms.toml``)."""

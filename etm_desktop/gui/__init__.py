"""Everything that imports Qt lives under this package; the core never imports it."""

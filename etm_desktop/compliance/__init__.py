"""The compliance engine: a month's grid for a whole centre, set-based (pandas)."""

"""Read-only queries the GUI lists and cards show (no Qt here)."""

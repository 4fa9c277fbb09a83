"""Files the program writes for people: formatted workbooks of its results (no Qt here)."""

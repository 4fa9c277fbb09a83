"""The main window's tabs; each is a thin view over core services."""

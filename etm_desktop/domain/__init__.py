"""The regulation's vocabulary and calendar arithmetic; no database, no Qt."""

"""Memos (служебные записки): drafts, validation (what-if), and later their lifecycle."""

"""Widgets of the explorer: each takes a gateway or rows, never a session."""

"""Widgets of the Textual app, one a file, each with its own DEFAULT_CSS."""

"""Screens of the Textual app, one phase of play each."""

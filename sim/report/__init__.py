"""After-action reports from a session journal or a saved run: Markdown and HTML."""

"""The Textual terminal UI: screens, widgets and styles; it talks only to the Session API."""

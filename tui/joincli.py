"""`hotline join`: a seat of an exercise that `hotline host` serves (placeholder)."""


def register(sub: object) -> None:
    """Add the `join` subcommand (filled in below)."""

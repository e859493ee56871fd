"""Read a file a user named, safely: only regular files, never more than a limit.

Every file a person points Hotline at (a scenario, a journal, a run log, a sweep file) is read
here. Device files and FIFOs are refused before a byte is read (`/dev/zero` never ends, a FIFO
blocks for ever, and both report a size of 0); at most the limit plus one byte is read, so a
file that grows while it is read cannot run memory out either. Each way a read can fail has a
`kind`, so that each caller can word it for its own kind of file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The default largest file read: 16 MiB, as for scenarios.
DEFAULT_LIMIT = 16 * 1024 * 1024

#: What each kind of failure says by default, after the file's name.
PROBLEMS = {
    "missing": "no such file",
    "directory": "is a directory",
    "special": "is not a regular file (a device, a FIFO or a socket)",
    "loop": "is a symbolic link that leads round in a loop",
    "denied": "cannot be read: permission denied",
    "empty": "the file is empty",
}


class UserFileError(Exception):
    """A user's file that cannot be read; `kind` says why, the message says it in words."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        """missing, directory, special, loop, denied, unreadable, too_big or empty."""


def read_user_file(path: str | Path, limit: int = DEFAULT_LIMIT, *,
                   blank_ok: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Args:
        path: the file.
        limit: the most bytes accepted.
        blank_ok: whether a file that is empty or only white space is accepted.

    Raises:
        UserFileError: missing, a directory, a device or FIFO, a symbolic link loop, not
            readable, over the limit, or (unless `blank_ok`) empty.
    """
    try:
        # non-blocking, so that opening a FIFO with no writer returns at once (it is refused below)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _error("missing") from None
    except IsADirectoryError:
        raise _error("directory") from None
    except PermissionError:
        raise _error("denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _error("loop") from None
        raise UserFileError("unreadable", f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _error("directory")
        if not stat.S_ISREG(info.st_mode):
            raise _error("special")
        size = info.st_size
        raw = b"" if size > limit else _read_at_most(fd, limit + 1)  # it may grow meanwhile
    except OSError as exc:
        kind = "directory" if exc.errno == errno.EISDIR else "unreadable"
        raise UserFileError(kind, PROBLEMS.get(kind, f"cannot be read: {exc.strerror}")) from None
    finally:
        os.close(fd)
    if size > limit or len(raw) > limit:
        raise UserFileError("too_big", f"file is {max(size, len(raw))} bytes, over the limit "
                            f"of {limit}")
    if not blank_ok and not raw.strip():
        raise _error("empty")
    return raw


def _read_at_most(fd: int, n: int) -> bytes:
    """Up to `n` bytes from `fd`, in chunks, stopping at the end of the file."""
    chunks, left = [], n
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _error(kind: str) -> UserFileError:
    return UserFileError(kind, PROBLEMS[kind])


__all__ = ["DEFAULT_LIMIT", "PROBLEMS", "UserFileError", "read_user_file"]

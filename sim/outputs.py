"""Files Hotline writes for a user: checked before any work, never over a file of theirs.

Every output flag (`run --save`, `sweep --csv/--md/--plot`, `report --html/--md/--out`,
`schema -o`) is checked here before the work starts, so that an hour's sweep is not lost to a
folder that does not exist or cannot be written. An existing regular file is kept unless the
user says `--force`, and the scenario being run is never written over, even with `--force`.
Devices such as `/dev/null` may be written to: nothing of the user's is in them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output that cannot, or must not, be written; the message names the flag and file."""


def check_output(flag: str, path: str | Path, *, force: bool = False,
                 protect: Iterable[str | Path] = (), make_folders: bool = False) -> None:
    """Check, before any work, that `path` can be written as a file.

    Args:
        flag: the option that named it, e.g. `--csv`, for the message.
        path: the file.
        force: whether an existing file may be replaced.
        protect: files never to write over (the scenario being run), whatever `force` says.
        make_folders: the writer creates missing folders: check the nearest existing one.

    Raises:
        OutputError: its folder is missing or not writable, it is a directory or one of
            `protect`, or it exists and `force` is not given.
    """
    file = Path(path)
    where = f"{flag} {path}"
    if any(_same(file, p) for p in protect):
        raise OutputError(f"{where}: that is the scenario being run; choose another file")
    try:
        info = file.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{where}: cannot be written: {exc.strerror}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{where}: is a directory; expected a file name")
        if stat.S_ISREG(info.st_mode) and not force:
            raise OutputError(f"{where}: the file exists; choose a new name, or give --force to "
                              "replace it")
        if not os.access(file, os.W_OK):
            raise OutputError(f"{where}: cannot be written: permission denied")
        return
    folder = file.absolute().parent
    if make_folders:
        folder = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
    check_folder(flag, folder, path)


def check_output_dir(flag: str, path: str | Path, names: Iterable[str], *,
                     force: bool = False) -> None:
    """Check that folder `path` can take the files `names` (it may be created).

    Raises:
        OutputError: it is a file, cannot be created or written, or holds one of `names`
            already and `force` is not given.
    """
    folder = Path(path)
    where = f"{flag} {path}"
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{where}: exists and is not a directory")
    if not folder.exists():
        parent = next((p for p in folder.absolute().parents if p.exists()), Path("/"))
        check_folder(flag, parent, path)
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{where}: cannot be written: permission denied")
    present = sorted(n for n in names if (folder / n).exists())
    if present and not force:
        raise OutputError(f"{where}: would replace {', '.join(present)}; choose a new folder, "
                          "or give --force to replace them")


def check_folder(flag: str, folder: Path, path: str | Path) -> None:
    """Check that files can be created in `folder`.

    Raises:
        OutputError: it is missing, not a folder, or not writable.
    """
    if not folder.is_dir():
        raise OutputError(f"{flag} {path}: no such directory {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{flag} {path}: cannot be written: permission denied in {folder}")


def write_text(flag: str, path: str | Path, text: str) -> None:
    """Write an output file.

    Raises:
        OutputError: the write failed (a full disk, `/dev/full`, a folder removed meanwhile).
    """
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{flag} {path}: cannot be written: {exc.strerror or exc}") from None


def _same(a: Path, b: str | Path) -> bool:
    try:
        return a.exists() and Path(b).exists() and os.path.samefile(a, b)
    except OSError:
        return False




class GuardedStream:
    """A text file written as work goes on, whose write failure does not stop the work.

    The first failure (a full disk, `/dev/full`) is kept in `error` and later writes are
    dropped, so the run finishes and its results are still shown; the caller reports it after.
    """

    def __init__(self, flag: str, path: str | Path) -> None:
        """Open `path` for writing.

        Raises:
            OutputError: it cannot be opened.
        """
        self.flag, self.path = flag, path
        self.error: str | None = None
        """Why writing failed, or None."""
        try:
            self._stream = Path(path).open("w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"{flag} {path}: cannot be written: {exc.strerror}") from None

    def write(self, text: str) -> int:
        """Write, or drop the text once a write has failed."""
        if self.error is None:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self.error = exc.strerror or str(exc)
        return len(text)

    def close(self) -> None:
        """Close the file (flushing it may fail too)."""
        try:
            self._stream.close()
        except OSError as exc:
            self.error = self.error or exc.strerror or str(exc)

    def check(self) -> None:
        """Raise the write failure, if there was one.

        Raises:
            OutputError: naming the flag, the file and the reason.
        """
        if self.error is not None:
            raise OutputError(f"{self.flag} {self.path}: cannot be written: {self.error}; the "
                              "results above are complete")


__all__ = ["GuardedStream", "OutputError", "check_folder", "check_output", "check_output_dir",
           "write_text"]

"""Writing an output file all at once or not at all (private; used by the command line).

The output goes to a temporary file beside the target, which replaces the target only when the run
has finished. A run that fails, is interrupted or stops on unreadable input leaves the target as it
was (absent, or the previous file), never a truncated file that looks complete; ``-o`` naming the
input file cannot empty the input before it is read.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import TextIO

__all__ = ["OutputError", "atomic_output", "check_writable", "internal_error"]


class OutputError(Exception):
    """The output file cannot be written: its folder is missing, read-only, or it is a folder."""


def internal_error(error: BaseException) -> str:
    """The one-line message for an unexpected exception: a defect of myoresponse to report."""
    return (
        f"internal error ({type(error).__name__}: {error}); this is a defect of myoresponse, "
        "please report it with the input that caused it"
    )


def check_writable(path: str) -> None:
    """Raise :class:`OutputError` now if ``path`` can certainly not be written (before any work)."""
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a directory")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: the directory {folder} does not exist")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: permission denied")


@contextlib.contextmanager
def atomic_output(path: str | None) -> Iterator[TextIO]:
    """A text stream for ``path`` (standard output for ``None`` or ``"-"``), committed on success.

    The stream writes to a temporary file in the target's folder; on leaving the block normally it
    is renamed over ``path`` (same folder, so the rename is atomic), on any exception, including
    :class:`KeyboardInterrupt`, it is removed and the exception goes on.
    """
    if path is None or path == "-":
        yield sys.stdout
        return
    check_writable(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink:
            yield sink
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode(path: str) -> int:
    """The permissions of the file being replaced, or the default ones for a new file."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask

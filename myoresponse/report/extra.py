"""The optional extra of the report: matplotlib and scipy, imported at first use only."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRA_MESSAGE", "MissingExtraError", "require"]

EXTRA_MESSAGE = (
    "the case-series report needs matplotlib and scipy: pip install 'myoresponse[report]'"
)


class MissingExtraError(ImportError):
    """matplotlib or scipy is not installed; the message names the extra to install."""


def require(name: str) -> ModuleType:
    """Import ``name`` (``"scipy.stats"``, ``"matplotlib.figure"``), or name the missing extra."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise MissingExtraError(f"{EXTRA_MESSAGE} ({error})") from error

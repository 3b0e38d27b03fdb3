"""Pickling for frozen value classes that hold read-only mappings (``MappingProxyType``).

A read-only mapping view cannot be pickled, so these classes pickle as a call that rebuilds them
from plain dicts through their validating constructor (``multiprocessing`` needs this).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs


def rebuild(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    """Construct ``cls`` from keyword arguments (the target of :func:`reduce_by_fields`)."""
    return cls(**kwargs)


def reduce_by_fields(self: Any) -> tuple[Any, ...]:
    """A ``__reduce__`` that rebuilds an attrs instance from its fields, proxies made dicts."""
    kwargs = {
        a.name: dict(value) if isinstance(value, MappingProxyType) else value
        for a in attrs.fields(type(self))
        for value in (getattr(self, a.name),)
    }
    return (rebuild, (type(self), kwargs))

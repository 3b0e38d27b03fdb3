"""Fail the build when a public name of ``myoresponse.__all__`` is not in the API reference.

After all pages are read, every name exported by the package must be documented as a Python
object, either as ``myoresponse.<name>`` or under its defining module. A missing one is a warning,
which ``sphinx-build -W`` turns into an error.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

import myoresponse

logger = logging.getLogger(__name__)


def check_api_coverage(app: Sphinx, env: BuildEnvironment) -> None:
    documented = set(env.get_domain("py").objects)  # type: ignore[attr-defined]
    for name in myoresponse.__all__:
        obj = getattr(myoresponse, name)
        defining = getattr(obj, "__module__", None)
        candidates = {f"myoresponse.{name}"}
        if isinstance(defining, str):
            candidates.add(f"{defining}.{name}")
        if not candidates & documented:
            logger.warning(
                "public name myoresponse.%s is not documented in the API reference",
                name,
                type="myoresponse",
                subtype="api-coverage",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-check-consistency", check_api_coverage)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""Intersphinx that builds clean without network: a small local fallback inventory per project.

Why: the build machines and CI of myoresponse have no network. ``sphinx.ext.intersphinx`` then
logs "failed to reach any of the inventories" as a warning *without a type* (Sphinx 7–9,
``sphinx/ext/intersphinx/_load.py``), and ``suppress_warnings`` can only silence typed warnings
(``sphinx.util.logging.is_suppressed_warning`` returns False for a typeless one), so ``-W`` fails
whatever ``suppress_warnings`` says; ``intersphinx_timeout`` only shortens the wait.

What: intersphinx tries the locations of a project in order and only warns when *all* fail. For each
project listed in ``offline_intersphinx`` (in ``conf.py``) this extension writes a small inventory
from a readable text file in ``docs/_intersphinx/`` (one ``name domain:role priority uri dispname``
line per object, the format of ``objects.inv``) into the doctree directory, and appends it as the
last location of that project's ``intersphinx_mapping`` entry. Online, the full published inventory
is used; offline, the fallback resolves the names these pages use, and the failed download is
logged at info level only.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

HEADER = (
    "# Sphinx inventory version 2\n"
    "# Project: {project}\n"
    "# Version: {version}\n"
    "# The remainder of this file is compressed using zlib.\n"
)


def write_inventory(source: Path, target: Path, project: str) -> None:
    """Compile a text list of inventory lines into an ``objects.inv`` file."""
    lines = [
        line.strip()
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    body = "".join(f"{line}\n" for line in lines).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(project=project, version="fallback").encode("utf-8")
    target.write_bytes(header + zlib.compress(body))


def add_fallbacks(app: Sphinx, config: Config) -> None:
    """Before intersphinx normalises its mapping: append the local fallback location."""
    mapping: dict[str, Any] = config.intersphinx_mapping
    for name, text_file in config.offline_intersphinx.items():
        target_uri, locations = mapping[name]
        compiled = Path(app.doctreedir) / "_offline_intersphinx" / f"{name}.inv"
        write_inventory(Path(app.confdir) / text_file, compiled, name)
        if locations is None:
            locations = (None,)
        elif isinstance(locations, str):
            locations = (locations,)
        mapping[name] = (target_uri, (*locations, str(compiled)))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("offline_intersphinx", {}, "env", types=frozenset({dict}))
    # intersphinx validates its mapping on config-inited at priority 800; run before it.
    app.connect("config-inited", add_fallbacks, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

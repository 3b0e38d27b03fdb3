"""Sphinx configuration for the myoresponse documentation.

Build (CI runs both, with the ``docs`` extra installed)::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W --keep-going -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import sys
from pathlib import Path

import myoresponse

sys.path.insert(0, str(Path(__file__).parent / "_ext"))


def _instrument_names_for_autodoc() -> None:
    """Let autodoc resolve the instrument classes in ``Visit``'s annotations.

    ``myoresponse.measures`` imports the instruments for type checkers only (they load when a
    visit is first given a sheet), so its namespace, and the copy of it that ``Visit.__init__``
    got from attrs, lack the names its annotations use.
    """
    import myoresponse.measures
    from myoresponse.instruments import chaq, haq, mmt8, steroids

    names = {
        "CHAQAnswers": chaq.CHAQAnswers,
        "DisabilityIndex": haq.DisabilityIndex,
        "HAQAnswers": haq.HAQAnswers,
        "MMT8Grades": mmt8.MMT8Grades,
        "MMT8Score": mmt8.MMT8Score,
        "SteroidDose": steroids.SteroidDose,
    }
    for namespace in (vars(myoresponse.measures), myoresponse.measures.Visit.__init__.__globals__):
        for name, value in names.items():
            namespace.setdefault(name, value)


_instrument_names_for_autodoc()

project = "myoresponse"
author = "myoresponse maintainers"
copyright = "2026, myoresponse maintainers"
release = myoresponse.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "myst_parser",  # the changelog page includes ../CHANGELOG.md (Markdown)
    # Local extensions, in docs/_ext/:
    "criteria_tables",  # band tables, thresholds and measures rendered from myoresponse's data
    "api_coverage",  # warns (so -W fails) when a name of myoresponse.__all__ is undocumented
    "offline_intersphinx",  # local fallback inventories: a clean build without network
    "case_series_figures",  # the case-series figures, drawn from the code at build time
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_intersphinx", "_generated", "examples", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# -- autodoc ------------------------------------------------------------------------------------
# Typed signatures: the annotations are shown in the signature itself, in their short form.
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = False  # True prints attrs internals (attr_dict[...].default)
# numpy's array aliases by name, not expanded into numpy's private protocols
autodoc_type_aliases = {"ArrayLike": "numpy.typing.ArrayLike", "NDArray": "numpy.typing.NDArray"}
autodoc_default_options = {"show-inheritance": True}
# Cross-references to the library's own objects must resolve; the standard library and numpy
# resolve through intersphinx (online: the full inventories; offline: docs/_intersphinx/).
nitpicky = True
nitpick_ignore_regex = [
    # Private helpers that appear in attrs-generated signatures and type aliases.
    ("py:.*", r"myoresponse\.(\w+\.)*_\w.*"),
    ("py:class", r"attr\..*"),
    ("py:class", r"(pandas\.)?DataFrame"),  # no pandas inventory offline
    ("py:class", r"(numpy\.typing\.)?(ArrayLike|NDArray)"),  # not in the offline numpy inventory
    # short names of string annotations (`from __future__ import annotations`) in signatures
    ("py:class", r"Fraction|np\.(intp|int8|float64|bool_)"),
]

# -- intersphinx, offline -----------------------------------------------------------------------
# There is no network on the build machines or in CI. With only the published inventories,
# sphinx.ext.intersphinx logs "failed to reach any of the inventories" as a warning that has no
# type (Sphinx 9.0: sphinx/ext/intersphinx/_load.py), and suppress_warnings cannot silence a
# warning without a type (sphinx.util.logging.is_suppressed_warning returns False for it), so
# `-W` would fail; intersphinx_timeout only shortens the wait. Intersphinx warns only when *every*
# location of a project fails, so docs/_ext/offline_intersphinx.py appends a small local
# inventory, compiled from docs/_intersphinx/<name>.txt, as the last location of each project:
# online the full inventory is used, offline the fallback resolves the names these pages use and
# the failed download is logged at info level.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
}
offline_intersphinx = {"python": "_intersphinx/python.txt", "numpy": "_intersphinx/numpy.txt"}
intersphinx_timeout = 5

# -- doctest ------------------------------------------------------------------------------------
# Every `>>>` example of the site is run by `sphinx-build -b doctest`: the `.. doctest::` blocks of
# the pages and, through autodoc, the examples in the package's docstrings (plain doctest blocks
# are tested too: doctest_test_doctest_blocks keeps its default).
# Docstring examples run in their module's namespace under pytest (tests/test_docs_examples.py);
# here they get the public names and the instrument modules' own enums.
doctest_global_setup = """
import json
from fractions import Fraction
import myoresponse
from myoresponse import *
from myoresponse.instruments.chaq import NOT_APPLICABLE
from myoresponse.instruments.mmt8 import Muscle, Protocol, Side
from myoresponse.instruments.steroids import *
"""

# -- HTML ---------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"myoresponse {release}"
html_static_path: list[str] = []
html_theme_options = {
    "source_repository": "",
    "navigation_with_keys": True,
}

myst_heading_anchors = 3


def _attrs_factory_defaults(
    app: object,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show an attrs ``factory=`` default as the call it makes (``{}``, ``Scales()``)."""
    import re

    import attrs

    if what != "class" or not signature or not attrs.has(obj):  # type: ignore[arg-type]
        return None
    for attribute in attrs.fields(obj):  # type: ignore[arg-type]
        default = attribute.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            factory = default.factory
            shown = "{}" if factory is dict else f"{factory.__name__}()"
            signature = re.sub(
                rf"\b({attribute.name}(?:: [^=,]+)?)= NOTHING", rf"\1= {shown}", signature
            )
    return signature, return_annotation


def setup(app: object) -> None:
    app.connect("autodoc-process-signature", _attrs_factory_defaults)  # type: ignore[attr-defined]

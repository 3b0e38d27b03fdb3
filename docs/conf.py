"""Sphinx configuration for the myoresponse documentation."""

from __future__ import annotations

import myoresponse

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
]
autodoc_typehints = "description"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
}
exclude_patterns = ["_build"]
html_theme = "furo"

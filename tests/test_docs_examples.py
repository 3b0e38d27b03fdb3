"""The documentation's command-line examples and the package's docstring examples, run and checked.

Every ``.. code-block:: console`` block of ``docs/**/*.rst`` is a transcript: lines starting with
``$ `` are commands, the lines after one are its expected output (standard output and standard
error together, as a terminal shows them). Each block runs in a fresh copy of ``docs/examples/``
with this interpreter's ``myoresponse`` first on ``PATH``, and its output must match exactly. A
block that needs a program that is not installed (``Rscript``, ``node``, ``jq``) is skipped.
Commands shown without output (installation) use ``.. code-block:: shell`` and are not run.

The rst pages' ``.. doctest::`` blocks run under ``sphinx-build -b doctest`` (see ``.ci/run``),
which also runs the docstring examples through autodoc; the docstring examples also run here, so a
plain ``pytest`` catches a broken one.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import myoresponse

DOCS = Path(__file__).resolve().parent.parent / "docs"
OPTIONAL_PROGRAMS = ("Rscript", "node", "jq")


def console_blocks() -> list[tuple[str, list[tuple[str, str]]]]:
    """(``page:line``, [(command, expected output), ...]) for every console block of the docs."""
    blocks = []
    for page in sorted(DOCS.rglob("*.rst")):
        if "_build" in page.parts:
            continue
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip() != ".. code-block:: console":
                continue
            indent = len(lines[number + 1]) - len(lines[number + 1].lstrip()) or 3
            body: list[str] = []
            for later in lines[number + 1 :]:
                if later.strip() and not later.startswith(" " * indent):
                    break
                body.append(later[indent:] if later.strip() else "")
            while body and not body[-1]:
                body.pop()
            while body and not body[0]:
                body.pop(0)
            steps: list[tuple[str, list[str]]] = []
            for text in body:
                if text.startswith("$ "):
                    steps.append((text[2:], []))
                else:
                    assert steps, f"{page}:{number + 1}: output before the first command"
                    steps[-1][1].append(text)
            where = f"{page.relative_to(DOCS)}:{number + 1}"
            blocks.append((where, [(cmd, "\n".join(out)) for cmd, out in steps]))
    return blocks


BLOCKS = console_blocks()


def test_the_docs_have_console_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize(("where", "steps"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_console_example(where: str, steps: list[tuple[str, str]], tmp_path: Path) -> None:
    for command, _ in steps:
        for program in OPTIONAL_PROGRAMS:
            if re.search(rf"(^|[\s|]){program}\b", command) and shutil.which(program) is None:
                pytest.skip(f"{program} is not installed")
    work = tmp_path / "examples"
    shutil.copytree(DOCS / "examples", work)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    status = 0
    for command, expected in steps:
        # `echo $?` shows the exit status of the previous command, as in a terminal.
        script = f"(exit {status}); {command}"
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
        )
        status = done.returncode
        assert done.stdout.rstrip("\n") == expected, f"{where}: $ {command}"


def test_the_console_examples_run_the_installed_command() -> None:
    assert shutil.which("myoresponse", path=str(Path(sys.executable).parent)), (
        "the myoresponse console script is not installed next to this interpreter"
    )


MODULES = [
    "myoresponse",
    *sorted(
        info.name
        # walk_packages descends into the wings (instruments/, endpoints/, tables/, io/)
        for info in pkgutil.walk_packages(myoresponse.__path__, "myoresponse.")
        if info.name != "myoresponse.__main__"  # importing it runs the command
    ),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert failed == 0


def test_some_docstrings_have_examples() -> None:
    total = 0
    for name in MODULES:
        finder = doctest.DocTestFinder()
        total += sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
    assert total > 0

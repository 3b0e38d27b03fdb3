"""The package's wings and which way they depend, checked on the source.

Layers, lowest first: kernel < instruments < core < endpoints < tables < report < io. A module may
import from its own layer and those below it, never above; a ``_private`` name is imported across
modules only from the kernel or within one wing. ``import myoresponse`` does not load numpy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "myoresponse"
KERNEL = {"errors", "_exact", "_names", "_shapes", "_frozen", "_version"}
CORE = {"criteria", "enzymes", "options", "measures", "result", "subtypes", "scoring", "_messages"}
ORDER = ["kernel", "instruments", "core", "endpoints", "tables", "report", "io"]

# Imports that break the rules today (issue 9 removes them). Do not add to this list.
KNOWN: set[tuple[str, str]] = set()


def _layer(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts or parts[0] in ("__init__", "__main__"):
        return "facade"
    if parts[0] in KERNEL:
        return "kernel"
    if parts[0] in CORE:
        return "core"
    return parts[0]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 2:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("myoresponse"):
                found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append(("<relative>", [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names if a.name.startswith("myoresponse"))
    return found


MODULES = _modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    layer = _layer(module)
    if layer == "facade":
        return
    assert layer in ORDER, f"{module} is in no wing; add it to a layer in tests/test_layers.py"
    for target, names in _imports(MODULES[module]):
        assert target != "<relative>", f"{module}: use absolute imports (myoresponse.x.y)"
        other = _layer(target)
        assert other != "facade", f"{module} imports the facade {target}; import the module itself"
        if (module, target) in KNOWN:
            continue
        assert ORDER.index(other) <= ORDER.index(layer), f"{module} ({layer}) imports {target}"
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        if private and other != "kernel" and other != layer:
            pytest.fail(f"{module} imports private {private} from {target}")


def test_known_exceptions_still_exist() -> None:
    for module, target in KNOWN:
        assert any(t == target for t, _ in _imports(MODULES[module])), (module, target)


def test_import_myoresponse_does_not_load_numpy() -> None:
    code = "import sys, myoresponse; myoresponse.score; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_table_functions_load_on_first_use() -> None:
    import myoresponse
    from myoresponse.tables.pairs import score_many
    from myoresponse.tables.visits import score_series_many

    assert myoresponse.score_many is score_many
    assert myoresponse.score_series_many is score_series_many
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = myoresponse.no_such_name  # type: ignore[attr-defined]

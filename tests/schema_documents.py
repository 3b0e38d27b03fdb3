"""Test helper: hypothesis strategies for documents a JSON Schema accepts, and ones it rejects.

hypothesis-jsonschema is the library for this, but its latest release (0.23.1) fails with the
hypothesis this project tests with (6.170: ``'many' object has no attribute 'more'`` while
drawing any object), so this module covers the keywords ``myoresponse/data/schema.json`` uses:
``$ref``, ``type``, ``enum``, ``properties``/``required``/``additionalProperties``,
``propertyNames``, ``items``/``minItems``/``maxItems``, ``minimum``/``maximum``/
``exclusiveMinimum``/``multipleOf``, ``pattern``, ``minLength``/``maxLength``, ``format: date``,
``anyOf``/``oneOf``. Every
drawn document is checked with :mod:`jsonschema` (``valid_documents``), so a gap here can make
the strategy narrower, never wrong. Any other keyword fails loudly.
"""

from __future__ import annotations

import datetime
from typing import Any

import jsonschema
from hypothesis import assume
from hypothesis import strategies as st

KNOWN = {
    "$ref", "type", "enum", "properties", "required", "additionalProperties", "propertyNames",
    "items", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "multipleOf",
    "pattern", "format", "minLength", "maxLength", "anyOf", "oneOf",
    "description", "$defs", "$schema", "$id", "title",
}  # fmt: skip
NAMES = st.sampled_from(["x", "extra", "value", "label", "ck", "CK", "mmt", "grades", "id"])


class Documents:
    """Strategies for the documents of one schema (its ``$defs`` resolve ``$ref``)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs", {})

    def validator(self, name: str) -> jsonschema.Draft202012Validator:
        return jsonschema.Draft202012Validator({"$defs": self.defs, "$ref": f"#/$defs/{name}"})

    def valid(self, name: str) -> st.SearchStrategy[Any]:
        """Documents ``#/$defs/<name>`` accepts."""
        validator = self.validator(name)

        def checked(document: Any) -> Any:
            assume(validator.is_valid(document))
            return document

        return self.of({"$ref": f"#/$defs/{name}"}, depth=0).map(checked)

    def invalid(self, name: str) -> st.SearchStrategy[tuple[Any, str]]:
        """(document, what was changed) for documents ``#/$defs/<name>`` rejects.

        A valid document with one change: an unknown key added to an object, a value replaced
        by one of another type or an out-of-range number, a key removed.
        """
        validator = self.validator(name)

        @st.composite
        def draw(draw: Any) -> tuple[Any, str]:
            document = draw(self.valid(name))
            paths = list(_paths(document, ()))
            path = draw(st.sampled_from(paths))
            change = draw(st.sampled_from(["add key", "replace", "remove"]))
            broken, what = _change(document, path, change, draw)
            assume(not validator.is_valid(broken))
            return broken, f"{change} at {'.'.join(map(str, path)) or '<top>'}: {what}"

        return draw()

    # -- one schema node -----------------------------------------------------------------------

    def of(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        unknown = set(node) - KNOWN
        assert not unknown, f"schema keywords not covered by tests/schema_documents.py: {unknown}"
        if "$ref" in node:
            name = node["$ref"].rpartition("/")[2]
            return st.deferred(lambda: self.of(self.defs[name], depth + 1))
        if "enum" in node:
            return st.sampled_from(node["enum"])
        for key in ("anyOf", "oneOf"):
            if key in node:
                return st.one_of([self.of(option, depth) for option in node[key]])
        types = node.get("type", "object")
        if isinstance(types, list):
            return st.one_of([self.of({**node, "type": kind}, depth) for kind in types])
        return {
            "null": lambda: st.none(),
            "boolean": lambda: st.booleans(),
            "integer": lambda: _integers(node),
            "number": lambda: _numbers(node),
            "string": lambda: _strings(node),
            "array": lambda: self._array(node, depth),
            "object": lambda: self._object(node, depth),
        }[types]()

    def _array(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        items = self.of(node.get("items", {"type": "integer"}), depth + 1)
        low = node.get("minItems", 0)
        high = node.get("maxItems", low + (3 if depth < 4 else 1))
        return st.lists(items, min_size=low, max_size=high)

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        properties: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", ()))
        fixed = {k: self.of(v, depth + 1) for k, v in properties.items() if k in required}
        optional = {k: self.of(v, depth + 1) for k, v in properties.items() if k not in required}
        base = st.fixed_dictionaries(fixed, optional=optional)
        extra = node.get("additionalProperties", True)
        if extra is False or extra is True:
            return base
        names_node = node.get("propertyNames", {"type": "string"})
        names = self.of(names_node, depth + 1) if names_node != {"type": "string"} else NAMES
        more = st.dictionaries(names, self.of(extra, depth + 1), max_size=3)
        return st.tuples(base, more).map(lambda pair: {**pair[1], **pair[0]})


def _integers(node: dict[str, Any]) -> st.SearchStrategy[int]:
    low = node.get("minimum", -1000)
    if "exclusiveMinimum" in node:
        low = int(node["exclusiveMinimum"]) + 1
    return st.integers(low, node.get("maximum", max(low, 0) + 3000))


def _numbers(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "multipleOf" in node:
        step = node["multipleOf"]
        low = node.get("minimum", 0)
        count = int((node.get("maximum", low + 100 * step) - low) / step)
        return st.integers(0, count).map(lambda k: low + k * step)
    low = node.get("minimum", node.get("exclusiveMinimum", -1000))
    high = node.get("maximum", max(low, 0) + 5000)
    floats = st.floats(
        low, high, allow_nan=False, exclude_min="exclusiveMinimum" in node, width=64
    ).map(lambda x: round(x, 3))
    return st.one_of(_integers(node), floats)


def _strings(node: dict[str, Any]) -> st.SearchStrategy[str]:
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True)
    if node.get("format") == "date":
        return st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)).map(str)
    low = node.get("minLength", 0)
    return st.text(
        st.characters(codec="ascii", categories=("L", "N", "Zs")),
        min_size=low,
        max_size=node.get("maxLength", low + 12),
    )


# -- breaking a valid document ------------------------------------------------------------------


def _paths(document: Any, here: tuple[Any, ...]) -> Any:
    yield here
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*here, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _paths(value, (*here, index))


def _change(document: Any, path: tuple[Any, ...], change: str, draw: Any) -> tuple[Any, str]:
    import copy

    broken = copy.deepcopy(document)
    parent: Any = None
    target: Any = broken
    for step in path:
        parent, target = target, target[step]
    if change == "add key" and isinstance(target, dict):
        key = draw(st.sampled_from(["unknown_key", "Physician_Global", "notes", "baseline "]))
        target[key] = draw(st.sampled_from([1, "a", None, {}]))
        return broken, f"key {key!r}"
    if change == "remove" and path and isinstance(parent, dict):
        del parent[path[-1]]
        return broken, f"removed {path[-1]!r}"
    replacement = draw(
        st.sampled_from(["text", "5", True, False, None, [], {}, -1, -0.5, 10**6, 1e300, 0])
    )
    if not path:
        return replacement, f"document replaced by {replacement!r}"
    parent[path[-1]] = replacement
    return broken, f"value {replacement!r}"

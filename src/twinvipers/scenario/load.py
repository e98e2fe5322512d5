"""Load a scenario folder: YAML → typed models, every mistake located at file:line:column.

Each item of every file is validated on its own, so one bad region does not hide a bad force in
another file; then cross-references (owners, regions, leaders, events, sources) are checked on the
items that validated. All errors are gathered and raised together as :class:`ScenarioError`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from twinvipers.scenario import schema
from twinvipers.scenario.errors import Located, ScenarioError

SHIPPED = Path(__file__).resolve().parent.parent / "scenarios"
YAML_SUFFIXES = (".yaml", ".yml")


# --- YAML with positions ------------------------------------------------------------------------


@dataclasses.dataclass
class Pos:
    """Where a YAML node stands, and where its children stand."""

    file: str
    line: int
    column: int
    children: dict[Any, Pos] = dataclasses.field(default_factory=dict)

    def find(self, loc: Iterable[Any]) -> Pos:
        """Return the deepest known position along a pydantic error location."""
        here = self
        for part in loc:
            nxt = here.children.get(part)
            if nxt is None and isinstance(part, str) and part.endswith("_"):
                nxt = here.children.get(part[:-1])  # aliases such as not_ → not
            if nxt is not None:
                here = nxt
        return here


# libyaml's C parser when PyYAML was built with it (its wheels are): ten times faster on the
# 1939 world's thousands of entries, with the same marks for error positions. The nodes are
# composed by PyYAML's Python composer, not libyaml's recursive C one, so that nesting depth and
# alias expansion can be bounded before they exhaust the stack or memory.
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


#: Limits that keep a hostile or broken file from hanging or crashing the loader.
MAX_FILE_BYTES = 16 * 1024 * 1024  # the 1939 world's largest file is under 200 kB
MAX_DEPTH = 64  # nesting levels of lists and mappings; the deepest trigger in the shipped
# scenarios is a few levels
MAX_NODES = 2_000_000  # values in one file after expanding aliases (a "billion laughs" bomb)

#: Tags a scenario may use, explicitly or implicitly: YAML's plain scalars, lists and mappings.
_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_MERGE = "tag:yaml.org,2002:merge"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


class _Loader(_Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc, valid-type]
    """Safe loader with bounded nesting and alias expansion; nodes keep their positions."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        yaml.composer.Composer.__init__(self)
        self._depth = 0
        self._size: dict[int, int] = {}

    get_single_node = yaml.composer.Composer.get_single_node
    compose_document = yaml.composer.Composer.compose_document
    compose_scalar_node = yaml.composer.Composer.compose_scalar_node
    compose_sequence_node = yaml.composer.Composer.compose_sequence_node
    compose_mapping_node = yaml.composer.Composer.compose_mapping_node

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        """Compose one node, refusing nesting beyond MAX_DEPTH and expansions beyond MAX_NODES."""
        mark = self.peek_event().start_mark
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", mark
                )
            node = yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1
        if id(node) not in self._size:  # a new node, not an alias of one composed before
            children: list[Any] = []
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            self._size[id(node)] = 1 + sum(self._size.get(id(c), 1) for c in children)
        if self._size[id(node)] > MAX_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"more than {MAX_NODES:,} values once aliases are expanded (an alias bomb?)",
                mark,
            )
        return node


def _error(file: str, mark: Any, message: str) -> ScenarioError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return ScenarioError([Located(file, line, col, "", message)])


def _scalar(node: yaml.Node, file: str, loader: _Loader) -> Any:
    """A plain scalar's value; other tags (``!!binary``, ``!!set``, custom ones) are refused."""
    if not isinstance(node, yaml.ScalarNode):
        raise _error(file, node.start_mark, "a mapping key must be a plain value")
    if node.tag not in _SCALAR_TAGS:
        raise _error(file, node.start_mark, f"the tag {_short(node.tag)} is not allowed here")
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # pydantic parses ISO dates itself
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise _error(
            file, node.start_mark, f"{node.value[:40]!r} is not a valid {_short(node.tag)}"
        ) from exc


def _pairs(node: yaml.MappingNode, file: str) -> list[tuple[yaml.Node, yaml.Node]]:
    """A mapping's own pairs, then those merged in by ``<<`` keys that it does not override."""
    own, merged = [], []
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            own.append((key_node, value_node))
            continue
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for src in sources:
            if not isinstance(src, yaml.MappingNode):
                raise _error(
                    file, src.start_mark, "a merge key (<<) needs a mapping or a list of them"
                )
            merged.extend(_pairs(src, file))
    return own + merged


def _to_python(node: yaml.Node, file: str, loader: _Loader) -> tuple[Any, Pos]:
    pos = Pos(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _error(file, node.start_mark, f"the tag {_short(node.tag)} is not allowed here")
        out: dict[Any, Any] = {}
        own = {id(k) for k, _ in node.value}
        for key_node, value_node in _pairs(node, file):
            key = _scalar(key_node, file, loader)
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                if id(key_node) not in own:
                    continue  # a merged key the mapping (or an earlier merge) already sets
                raise _error(file, key_node.start_mark, f"duplicate key {key!r}")
            out[key], pos.children[key] = _to_python(value_node, file, loader)
        return out, pos
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _error(file, node.start_mark, f"the tag {_short(node.tag)} is not allowed here")
        items = []
        for i, item in enumerate(node.value):
            value, pos.children[i] = _to_python(item, file, loader)
            items.append(value)
        return items, pos
    return _scalar(node, file, loader), pos


def _read_bytes(path: Path, label: str) -> bytes:
    """A regular file's bytes, at most MAX_FILE_BYTES; FIFOs, devices and loops are refused."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ScenarioError(
            [Located(label, 1, 1, "", f"cannot read file: {exc.strerror or exc}")]
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        raise ScenarioError(
            [Located(label, 1, 1, "", "is a folder; a folder of YAML files is named without .yaml")]
        )
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError([Located(label, 1, 1, "", "not a regular file (a pipe or a device?)")])
    if st.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Located(
                    label,
                    1,
                    1,
                    "",
                    f"file of {st.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                )
            ]
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            [Located(label, 1, 1, "", f"cannot read file: {exc.strerror or exc}")]
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [Located(label, 1, 1, "", f"file larger than {MAX_FILE_BYTES:,} bytes")]
        )
    return data


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, Pos]:
    """Read one YAML file into plain Python values plus a position tree."""
    label = label or str(path)
    data = _read_bytes(path, label)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [Located(label, line, col, "", f"not UTF-8 text (byte {data[exc.start]:#04x})")]
        ) from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Pos(label, 1, 1)
        return _to_python(node, label, loader)
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text, PyYAML's reader characters.
        at = (
            exc.position
            if _Parser is not yaml.parser.Parser
            else len(text[: exc.position].encode())
        )
        line = data.count(b"\n", 0, at) + 1
        col = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise ScenarioError([Located(label, line, col, "", f"invalid YAML: {exc.reason}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _error(label, mark, f"invalid YAML: {problem}") from exc
    finally:
        loader.dispose()


# --- folder → raw fields ------------------------------------------------------------------------


@dataclasses.dataclass
class Raw:
    """A scenario's fields as raw YAML values with positions, before validation."""

    root: Path
    fields: dict[str, tuple[Any, Pos]]
    files: list[Path]
    errors: list[Located] = dataclasses.field(default_factory=list)
    unreadable: bool = False


def resolve(name_or_path: str | Path, base: Path | None = None) -> Path:
    """Find a scenario folder: an existing path, or the name of a shipped scenario."""
    p = Path(name_or_path)
    candidates = [p] if p.is_absolute() else [(base / p) if base else p, SHIPPED / str(p)]
    if base is None:
        candidates.insert(0, p)
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    shipped = ", ".join(shipped_names()) or "none"
    raise ScenarioError(
        [
            Located(
                str(p),
                0,
                0,
                "",
                f"no scenario folder or shipped scenario named {str(p)!r} (shipped: {shipped})",
            )
        ]
    )


def shipped_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    if not SHIPPED.is_dir():
        return []
    return sorted(d.name for d in SHIPPED.iterdir() if (d / "meta.yaml").is_file())


def _label(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _folder_parts(folder: Path, root: Path, errors: list[Located]) -> list[Path]:
    """The YAML files of a field's folder and its subfolders, in path order.

    A subfolder named like a YAML file is returned too, for :func:`read_yaml` to refuse.
    """

    def unlistable(exc: OSError) -> None:
        where = _label(Path(exc.filename or folder), root)
        errors.append(Located(where, 1, 1, "", f"cannot list the folder: {exc.strerror}"))

    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlistable):
        named_yaml = [d for d in dirnames if Path(d).suffix in YAML_SUFFIXES]
        dirnames[:] = [d for d in dirnames if d not in named_yaml and not d.startswith(".")]
        for name in [*filenames, *named_yaml]:
            if Path(name).suffix in YAML_SUFFIXES and not name.startswith("."):
                out.append(Path(dirpath) / name)
    return sorted(out)


def read_folder(root: Path) -> Raw:
    """Read every YAML file of a scenario folder; a field may be one file or a folder of files."""
    errors: list[Located] = []
    fields: dict[str, tuple[Any, Pos]] = {}
    files: list[Path] = []
    unreadable = False
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        raise ScenarioError(
            [Located(str(root), 0, 0, "", f"cannot list the folder: {exc.strerror or exc}")]
        ) from exc
    for entry in entries:
        is_yaml = entry.suffix in YAML_SUFFIXES
        stem = entry.stem if is_yaml else entry.name
        if entry.name.startswith(".") or not (is_yaml or stem in schema.FILE_FIELDS):
            continue  # notes, READMEs, editors' files
        if stem not in schema.FILE_FIELDS:
            errors.append(
                Located(
                    _label(entry, root),
                    1,
                    1,
                    "",
                    f"unknown scenario file {entry.name!r}; expected one of: "
                    + ", ".join(f + ".yaml" for f in schema.FILE_FIELDS),
                )
            )
            continue
        if is_yaml:
            parts = [entry]  # read_yaml refuses a folder, a device or a link loop by that name
        elif entry.is_dir():
            parts = _folder_parts(entry, root, errors)
        else:
            errors.append(
                Located(
                    _label(entry, root),
                    1,
                    1,
                    "",
                    f"expected {stem}.yaml or a folder {stem}/ of YAML files",
                )
            )
            unreadable = True
            continue
        for part in parts:
            files.append(part)
            try:
                value, pos = read_yaml(part, _label(part, root))
            except ScenarioError as exc:
                errors.extend(exc.errors)
                unreadable = True
                continue
            if value is None:
                errors.append(
                    Located(
                        pos.file,
                        1,
                        1,
                        stem,
                        "the file is empty; it needs id, name, start and end"
                        if stem == "meta"
                        else "the file is empty; give [] for none, or delete it",
                    )
                )
                continue
            if stem in fields:
                merged, mpos = fields[stem]
                if not (isinstance(merged, list) and isinstance(value, list)):
                    errors.append(
                        Located(
                            pos.file,
                            pos.line,
                            pos.column,
                            stem,
                            "split files must each hold a list",
                        )
                    )
                    continue
                offset = len(merged)
                merged.extend(value)
                for i, child in pos.children.items():
                    mpos.children[offset + i] = child
            else:
                fields[stem] = (value, pos)
    if "meta" not in fields:
        if not unreadable and not any(Path(e.file).name == "meta.yaml" for e in errors):
            errors.append(
                Located(
                    _label(root / "meta.yaml", root),
                    0,
                    0,
                    "meta",
                    "a scenario folder needs a meta.yaml",
                )
            )
        raise ScenarioError(errors)
    return Raw(root, fields, files, errors, unreadable)


def _merge(base: Raw, child: Raw) -> Raw:
    """Merge child over base: keyed lists by id, diplomacy and parameters by key."""
    fields = dict(base.fields)
    for name, (value, pos) in child.fields.items():
        if name == "meta" and isinstance(value, dict) and isinstance(fields[name][0], dict):
            # The child's meta wins, but the base's bibliography and camp colours carry over.
            bmeta, bpos = fields[name]
            merged_meta = dict(value)
            mpos = Pos(pos.file, pos.line, pos.column, dict(pos.children))
            for key in ("sources", "camps"):
                if isinstance(bmeta.get(key), dict):
                    merged_meta[key] = {**bmeta[key], **(value.get(key) or {})}
                    sub = Pos(
                        *(
                            bpos.children[key].file,
                            bpos.children[key].line,
                            bpos.children[key].column,
                        ),
                        dict(bpos.children[key].children),
                    )
                    if key in pos.children:
                        sub.children.update(pos.children[key].children)
                    mpos.children[key] = sub
            fields[name] = (merged_meta, mpos)
            continue
        if name not in fields:
            fields[name] = (value, pos)
            continue
        bval, bpos = fields[name]
        if name in schema.KEYED_LISTS and isinstance(value, list) and isinstance(bval, list):
            items = list(zip(bval, [bpos.children.get(i) for i in range(len(bval))], strict=True))
            index = {it.get("id"): k for k, (it, _) in enumerate(items) if isinstance(it, dict)}
            for i, item in enumerate(value):
                key = item.get("id") if isinstance(item, dict) else None
                pair = (item, pos.children.get(i))
                if key is not None and key in index:
                    items[index[key]] = pair
                else:
                    items.append(pair)
            mpos = Pos(
                pos.file,
                pos.line,
                pos.column,
                {k: p for k, (_, p) in enumerate(items) if p is not None},
            )
            fields[name] = ([it for it, _ in items], mpos)
        elif isinstance(value, dict) and isinstance(bval, dict):
            merged = dict(bval)
            mpos = Pos(pos.file, pos.line, pos.column, dict(bpos.children))
            for k, v in value.items():
                if isinstance(v, list) and isinstance(merged.get(k), list):
                    off = len(merged[k])
                    merged[k] = merged[k] + v
                    sub = Pos(
                        pos.children[k].file,
                        pos.children[k].line,
                        pos.children[k].column,
                        dict(bpos.children[k].children),
                    )
                    for i, c in pos.children[k].children.items():
                        sub.children[off + i] = c
                    mpos.children[k] = sub
                else:
                    merged[k] = v
                    mpos.children[k] = pos.children[k]
            fields[name] = (merged, mpos)
        else:
            fields[name] = (value, pos)
    return Raw(
        child.root,
        fields,
        base.files + child.files,
        base.errors + child.errors,
        base.unreadable or child.unreadable,
    )


def read_with_bases(root: Path, seen: tuple[Path, ...] = ()) -> Raw:
    """Read a folder and, recursively, the scenarios it ``extends``."""
    if root in seen:
        chain = " → ".join(p.name for p in (*seen, root))
        raise ScenarioError(
            [
                Located(
                    str(root / "meta.yaml"),
                    1,
                    1,
                    "meta.extends",
                    f"scenarios extend each other in a cycle: {chain}",
                )
            ]
        )
    raw = read_folder(root)
    meta, mpos = raw.fields["meta"]
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if not parent:
        return raw
    try:
        parent_root = resolve(parent, base=root.parent)
    except ScenarioError as exc:
        p = mpos.find(["extends"])
        raise ScenarioError(
            [Located(p.file, p.line, p.column, "meta.extends", exc.errors[0].message)]
        ) from exc
    return _merge(read_with_bases(parent_root, (*seen, root)), raw)


# --- validation ----------------------------------------------------------------------------------


def _fmt_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def _clean_loc(loc: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
    """Drop union tags and model names that pydantic puts in a location but the YAML lacks."""
    out: list[Any] = []
    here = value
    for part in loc:
        key = part
        if isinstance(here, dict):
            if part not in here and isinstance(part, str) and part.rstrip("_") in here:
                key = part.rstrip("_")
            if key not in here:
                continue
            here = here[key]
        elif isinstance(here, list):
            if not isinstance(part, int) or part >= len(here):
                continue
            here = here[part]
        else:
            continue
        out.append(key)
    return tuple(out)


def _validation_errors(
    exc: ValidationError, prefix: tuple[Any, ...], value: Any, pos: Pos
) -> list[Located]:
    out = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]), value)
        p = pos.find(loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "string_pattern_mismatch":
            # Say what an id looks like instead of quoting the regular expression.
            pattern = (err.get("ctx") or {}).get("pattern")
            got = repr(err.get("input"))
            if pattern == schema.TAG_PATTERN:
                msg = f"{got} is not a power tag: 2 to 5 capital letters or digits, e.g. 'GER'"
                if isinstance(err.get("input"), str):
                    msg += f"; did you mean {err['input'].upper()!r}?"
            elif pattern == schema.ID_PATTERN:
                msg = (
                    f"{got} is not an id: lower-case letters, digits and '_', starting with a "
                    "letter, e.g. 'east_prussia'"
                )
        elif err["type"] == "missing":
            msg = (
                "missing required field " + repr(err["loc"][-1])
                if loc != tuple(err["loc"])
                else "field required"
            )
        elif err["type"] == "union_tag_invalid":
            msg = (
                msg.split(" found using")[0] + " is not one of: " + msg.split("expected tags: ")[-1]
            )
        out.append(Located(p.file, p.line, p.column, _fmt_loc(prefix + loc), msg))
    return out


_ITEM_MODELS: dict[str, Any] = {
    name: schema.Scenario.model_fields[name].annotation.__args__[0]  # type: ignore[union-attr]
    for name in (*schema.KEYED_LISTS, "edges")
}


def _item_validator(model: Any) -> Any:
    """A model's own validator, or a TypeAdapter's for a union of models (checkpoints)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model.model_validate
    return TypeAdapter(model).validate_python


_ITEM_VALIDATORS = {name: _item_validator(m) for name, m in _ITEM_MODELS.items()}


def validate(raw: Raw) -> schema.Scenario:
    """Validate raw fields item by item, then check cross-references; raise all errors."""
    errors: list[Located] = list(raw.errors)
    fields: dict[str, Any] = {}
    where: dict[str, list[Pos]] = {}
    for name, (value, pos) in raw.fields.items():
        check = _ITEM_VALIDATORS.get(name)
        if check is not None:
            if not isinstance(value, list):
                errors.append(
                    Located(pos.file, pos.line, pos.column, name, f"{name} must be a list of items")
                )
                continue
            good, at = [], []
            for i, item in enumerate(value):
                ipos = pos.children.get(i, pos)
                try:
                    good.append(check(item))
                    at.append(ipos)
                except ValidationError as exc:
                    errors.extend(_validation_errors(exc, (name, i), item, ipos))
            fields[name], where[name] = good, at
        else:
            annotation = schema.Scenario.model_fields[name].annotation
            try:
                fields[name] = TypeAdapter(annotation).validate_python(value)
            except ValidationError as exc:
                errors.extend(_validation_errors(exc, (name,), value, pos))
    if "meta" not in fields:
        # Keep checking references against what the invalid meta.yaml still says.
        raw_meta = raw.fields.get("meta", ({}, None))[0]
        raw_meta = raw_meta if isinstance(raw_meta, dict) else {}
        sources = raw_meta.get("sources")
        fields["meta"] = schema.Meta.model_construct(
            sources=sources if isinstance(sources, dict) else {}
        )
    scenario = schema.Scenario.model_construct(
        **{
            n: fields.get(n, f.get_default(call_default_factory=True))
            for n, f in schema.Scenario.model_fields.items()
        }
    )
    from twinvipers.scenario.references import check_references

    if not raw.unreadable:  # references into an unreadable file would all look dangling
        errors.extend(check_references(scenario, raw, where))
    if not errors:  # the logical checks read a scenario whose every part is valid
        from twinvipers.scenario.logic import check_logic

        errors.extend(check_logic(scenario, raw, where))
    if errors:
        raise ScenarioError(errors)
    return scenario


def content_hash(raw: Raw) -> str:
    """A hash of every file the scenario reads (its bases included)."""
    h = hashlib.sha256()
    for f in raw.files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@dataclasses.dataclass
class Loaded:
    """A validated scenario with where it came from."""

    scenario: schema.Scenario
    root: Path
    raw: Raw
    hash: str

    def positions(self) -> dict[str, tuple[Any, Pos]]:
        """Raw fields with positions, for locating later (compile-time) errors."""
        return self.raw.fields


def load(name_or_path: str | Path) -> Loaded:
    """Load and validate a scenario by name or folder; raise :class:`ScenarioError`."""
    root = resolve(name_or_path)
    raw = read_with_bases(root)
    scenario = validate(raw)
    return Loaded(scenario, root, raw, content_hash(raw))


def iter_items(raw: Raw, field: str) -> Iterator[tuple[int, Any, Pos]]:
    """Yield (index, raw item, position) of a list field."""
    value, pos = raw.fields.get(field, ([], Pos("", 0, 0)))
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield i, item, pos.children.get(i, pos)

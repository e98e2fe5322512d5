"""Per-file JSON Schemas: each scenario file gets its own, so an editor can attach it."""

import json

from twinvipers import cli
from twinvipers.scenario.schema import FILE_FIELDS, file_schemas


def _resolve(body, node):
    ref = node.get("$ref")
    return body["$defs"][ref.split("/")[-1]] if ref else node


def test_one_schema_per_file_describing_that_file():
    schemas = file_schemas()
    assert set(schemas) == set(FILE_FIELDS)
    events = schemas["events"]
    assert events["type"] == "array"
    event = _resolve(events, events["items"])
    assert {"id", "trigger", "effects"} <= set(event["required"])
    meta = _resolve(schemas["meta"], schemas["meta"])
    assert meta["type"] == "object" and "start" in meta["properties"]


def test_schema_into_a_folder_writes_every_file(tmp_path):
    cli.main(["schema", "--out", str(tmp_path / "schemas")])
    written = {p.name for p in (tmp_path / "schemas").iterdir()}
    assert written == {f"{f}.schema.json" for f in FILE_FIELDS}
    body = json.loads((tmp_path / "schemas" / "regions.schema.json").read_text())
    assert body["type"] == "array"

"""docs/api.md runs: its code blocks, in order, in one namespace."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_the_api_page_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 5
    ns: dict = {}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"{DOC.name} block {i + 1}", "exec"), ns)  # noqa: S102
        except Exception as exc:  # noqa: BLE001 - name the failing block
            pytest.fail(f"docs/api.md block {i + 1} failed: {exc!r}")
    printed = capsys.readouterr().out
    assert "Ensemble(" in printed and "coverage 100%" in printed


def test_open_refuses_an_unfinished_folder(tmp_path):
    import twinvipers

    with pytest.raises(ValueError, match="not a results directory"):
        twinvipers.open(tmp_path)

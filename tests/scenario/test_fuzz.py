"""The mutation fuzzer's fast subset (the big run: ``python -m tests.scenario.fuzz``)."""

import shutil

import pytest

from tests.conftest import cli
from tests.scenario import fuzz


def test_mutations_validate_or_give_located_errors(tmp_path):
    results = [fuzz.run_one(i, 5, tmp_path) for i in range(90)]
    s = fuzz.summary(results)
    assert not s["failures"], "\n".join(
        f"#{r['i']} {r['kind']} [{r['outcome']}] {r['what']}: {r['detail']}" for r in s["failures"]
    )
    # Every kind of mutation ran, and the nonsense ones were all refused with a located error.
    assert set(s["by_kind"]) == {kind for kind, _, _ in fuzz.MUTATIONS}
    for kind, expect, _ in fuzz.MUTATIONS:
        if expect == "reject":
            assert s["by_kind"][kind] == {"located": 10}, kind


@pytest.mark.parametrize("name", [n for n, _ in fuzz.CONTRADICTIONS])
def test_each_contradiction_is_refused(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(fuzz.BASE, folder)
    dict(fuzz.CONTRADICTIONS)[name](folder)
    outcome, detail = fuzz.check(folder)
    assert outcome == "located", detail


@pytest.mark.slow
def test_the_command_line_gives_exit_2_and_no_traceback(tmp_path):
    for i in (7, 8, 16, 17, 24, 25, 26):  # text, special, contradiction and absurd mutations
        folder = tmp_path / f"m{i}"
        shutil.copytree(fuzz.BASE, folder)
        kind, _, fn = fuzz.MUTATIONS[i % len(fuzz.MUTATIONS)]
        fn(folder, fuzz.random.Random(i))
        r = cli("validate", str(folder), timeout=120)
        assert r.returncode == 2, (kind, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and ".yaml" in r.stderr, (kind, r.stderr)

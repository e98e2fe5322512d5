"""check-data: unsourced figures and per-power cross-checks."""

from __future__ import annotations

from twinvipers.scenario import schema
from twinvipers.scenario.checks import check_data, cross_checks, unsourced


def _scenario(**lists) -> schema.Scenario:
    meta = schema.Meta(id="t", name="t", start="1939-06-27", end="1939-12-31")
    return schema.Scenario(meta=meta, **lists)


def _power(**kw) -> schema.Power:
    return schema.Power(id="AAA", name="A", capital="a", **kw)


def _force(fid: str, men: float, div: float, reserve: bool = False) -> schema.Force:
    return schema.Force(
        id=fid,
        power="AAA",
        region="a",
        men=men,
        reserve=reserve,
        divisions={"infantry": div},
        source="k",
    )


def test_unsourced_lists_figures_without_any_citation():
    bare = schema.Region(id="a", name="A", lon=1, lat=2, owner="AAA", population=10, vp=3)
    partly = schema.Region(
        id="b",
        name="B",
        lon=1,
        lat=2,
        owner="AAA",
        population=5,
        sources={"population": "k", "lon": "k", "lat": "k"},
    )
    cited = schema.Region(id="c", name="C", lon=1, lat=2, owner="AAA", population=5, source="k")
    found = unsourced(_scenario(regions=[bare, partly, cited]))
    assert len(found) == 1
    f = found[0]
    assert f.kind == "unsourced" and not f.ok and "regions[0] a" in f.subject
    for name in ("lat", "lon", "population", "vp"):
        assert name in f.message
    assert "owner" not in f.message  # a name, not a figure


def test_unsourced_ignores_defaults_and_names_edges():
    e = schema.Edge(a="a", b="b", rail=7000)
    found = unsourced(_scenario(edges=[e]))
    assert [f.subject for f in found] == ["edges[0] a-b"]
    assert found[0].message == "no source for rail"


def test_divisions_within_and_outside_tolerance():
    forces = [_force("f1", 100_000, 8), _force("f2", 50_000, 2, reserve=True)]
    ok = cross_checks(_scenario(powers=[_power(total_divisions=11)], forces=forces))
    assert [f.ok for f in ok if f.kind == "divisions"] == [True]  # 10 vs 11: -9%
    bad = cross_checks(_scenario(powers=[_power(total_divisions=20)], forces=forces))
    div = [f for f in bad if f.kind == "divisions"][0]
    assert not div.ok and "10 divisions" in div.message and "20" in div.message


def test_manpower_ratio_uses_peacetime_and_mobilised_men():
    forces = [_force("f1", 100_000, 8), _force("f2", 300_000, 2, reserve=True)]
    # COW 150k: peacetime 0.67 <= 2 and mobilised 2.67 >= 0.5 -> fine
    ok = cross_checks(_scenario(powers=[_power(military_personnel=150)], forces=forces))
    assert [f.ok for f in ok if f.kind == "manpower"] == [True]
    # COW 30k: peacetime ratio 3.3 is too high
    high = cross_checks(_scenario(powers=[_power(military_personnel=30)], forces=forces))
    assert [f.ok for f in high if f.kind == "manpower"] == [False]
    # COW 1,000k: even the mobilised army is under half of it
    low = cross_checks(_scenario(powers=[_power(military_personnel=1000)], forces=forces))
    assert [f.ok for f in low if f.kind == "manpower"] == [False]


def test_no_stated_figures_no_cross_check():
    found = check_data(_scenario(powers=[_power()], forces=[_force("f", 1000, 1)]))
    assert found == []


def test_findings_print_as_one_line():
    found = cross_checks(
        _scenario(powers=[_power(total_divisions=10)], forces=[_force("f", 1000, 10)])
    )
    text = str(found[0])
    assert text.startswith("ok") and "AAA" in text and "\n" not in text

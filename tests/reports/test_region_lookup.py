"""reports.region_lookup: forgiving region input, read without HTTP."""

from __future__ import annotations

import pytest

from reports.models import Region, RegionLevel
from reports.region_lookup import lookup_region, short_name, suggest_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """国务院 (national root); 河北省 > 保定市 > 涞源县; 天津市 > 河北区; 山西省 > 大同市 > 城区;
    山西省 > 长治市 > 城区; 江苏省 > 苏州市 > 苏州工业园区."""

    def mk(name, level, parent=None, code=""):
        region = Region.objects.create(name=name, level=level, parent=parent, code=code)
        region.refresh_from_db()
        return region

    L = RegionLevel
    nation = mk("国务院", L.NATIONAL)
    hb = mk("河北省", L.PROVINCE, code="130000000000")
    bd = mk("保定市", L.CITY, hb, code="130600000000")
    ly = mk("涞源县", L.COUNTY, bd, code="130630000000")
    tj = mk("天津市", L.PROVINCE)
    hbq = mk("河北区", L.COUNTY, tj)
    sx = mk("山西省", L.PROVINCE)
    dt = mk("大同市", L.CITY, sx)
    dtcq = mk("城区", L.COUNTY, dt)
    cz = mk("长治市", L.CITY, sx)
    czcq = mk("城区", L.COUNTY, cz)
    js = mk("江苏省", L.PROVINCE)
    sz = mk("苏州市", L.CITY, js)
    sip = mk("苏州工业园区", L.COUNTY, sz)
    return {r.full_name: r for r in (nation, hb, bd, ly, tj, hbq, sx, dt, dtcq, cz, czcq, js, sz, sip)}


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("保定", "河北省保定市"),
        ("保定市", "河北省保定市"),
        ("河北省", "河北省"),
        ("河北省保定市", "河北省保定市"),
        ("河北保定", "河北省保定市"),
        ("河北省>保定市", "河北省保定市"),
        ("河北省 > 保定市", "河北省保定市"),
        ("河北/保定/涞源", "河北省保定市涞源县"),
        ("河北>涞源", "河北省保定市涞源县"),  # a level skipped
        ("保定市涞源县", "河北省保定市涞源县"),
        ("130600", "河北省保定市"),
        ("130600000000", "河北省保定市"),
        ("苏州", "江苏省苏州市"),  # 苏州工业园区 is inside 苏州市: no question to ask
        ("蘇州市", "江苏省苏州市"),  # traditional script
        ("大同市城区", "山西省大同市城区"),
        ("国务院", "国务院"),  # the national root, level 0
        ("  江苏  ", "江苏省"),
    ],
)
def test_forgiving_inputs_find_the_region_meant(tree, typed, meant):
    found = lookup_region(typed)
    assert found.region is not None, found
    assert found.region.full_name == meant
    assert found.message == ""


def test_region_id_still_works(tree):
    assert lookup_region(str(tree["河北省保定市"].pk)).region == tree["河北省保定市"]


@pytest.mark.parametrize(
    "typed, choices",
    [
        ("城区", {"山西省大同市城区", "山西省长治市城区"}),
        ("河北", {"河北省", "天津市河北区"}),
    ],
)
def test_ambiguous_input_offers_a_choice(tree, typed, choices):
    found = lookup_region(typed)
    assert found.region is None and found.ambiguous
    assert {r.full_name for r in found.candidates} == choices
    assert "多个地区" in found.message and "请在下面选择" in found.message


@pytest.mark.parametrize("typed", ["火星", "河北省火星市", "999999", "<script>", "—"])
def test_unknown_input_says_so(tree, typed):
    found = lookup_region(typed)
    assert found.region is None and not found.candidates
    assert found.not_found and "没有与" in found.message


def test_empty_input_is_no_filter(tree):
    found = lookup_region("  ")
    assert not found.given and found.region is None and found.message == ""


def test_suggestions_shallowest_first_and_bounded(tree):
    names = [r.full_name for r in suggest_regions("河北")]
    assert names[:2] == ["河北省", "天津市河北区"]
    # Names starting with the text first, then names containing it.
    assert [r.full_name for r in suggest_regions("苏")] == ["江苏省苏州市", "江苏省苏州市苏州工业园区", "江苏省"]
    assert len(suggest_regions("城", limit=1)) == 1
    assert suggest_regions("") == []


def test_short_names():
    assert [short_name(n) for n in ("河北省", "广西壮族自治区", "保定市", "城区", "娄葑街道")] == [
        "河北", "广西", "保定", "城区", "娄葑"
    ]

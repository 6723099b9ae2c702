"""Search on villager-style queries: hanzi, tone-less pinyin, initials, partial words."""

from __future__ import annotations

import pytest

from bianmin.domain.catalogue import ServiceItem
from bianmin.domain.search import CatalogueSearch, normalise, pinyin_variants
from tests.domain.catalogue_factory import raw_item


def make(code: str, name: str, keywords=(), topics=("民政救助",), **extra) -> ServiceItem:
    return ServiceItem.model_validate(raw_item(code, name, keywords=list(keywords), topics=list(topics), **extra))


@pytest.fixture(scope="module")
def search() -> CatalogueSearch:
    return CatalogueSearch([
        make("S000000001", "城乡低保申请"),
        make("S000000002", "低保金代领"),
        make("S000000003", "低保"),
        make("S000000004", "最低生活保障申请", keywords=["低保", "吃低保"]),
        make("S000000005", "居民身份证补领", topics=["户籍证件"]),
        make("S000000006", "居民身份证换领", topics=["户籍证件"]),
        make("S000000007", "长期居住证明", topics=["证明开具"]),
        make("S000000008", "银行卡账户变更", topics=["涉农补贴"]),
        make("S000000009", "律师咨询", topics=["法律咨询"]),
        make("S000000010", "建房审批", topics=["建房土地"], keywords=["盖房子"]),
        make("S000000011", "农机购置补贴", topics=["涉农补贴"],
             materials=[{"name": "购机发票", "originals": 1}]),
        make("S000000012", "耕地地力保护补贴", topics=["涉农补贴"], keywords=["粮补"]),
    ])


def names(hits) -> list[str]:
    return [h.item.name for h in hits]


def test_exact_name_then_prefix_then_contains(search):
    assert names(search.search("低保"))[:4] == ["低保", "低保金代领", "最低生活保障申请", "城乡低保申请"]


def test_full_pinyin_with_and_without_spaces(search):
    for query in ("dibao", "di bao", "DiBao", "di'bao"):
        found = names(search.search(query))
        assert found[0] == "低保", query
        assert {"低保金代领", "城乡低保申请", "最低生活保障申请"} <= set(found), query


def test_initials_find_names_and_keywords(search):
    found = names(search.search("db"))
    assert found[0] == "低保"
    assert "最低生活保障申请" in found  # through its keyword 低保
    assert names(search.search("sfz")) == ["居民身份证补领", "居民身份证换领"]
    assert names(search.search("jmsfzbl"))[0] == "居民身份证补领"


def test_full_pinyin_inside_a_name_and_partial_pinyin(search):
    assert names(search.search("shenfenzheng")) == ["居民身份证补领", "居民身份证换领"]
    assert names(search.search("shenfenzh")) == ["居民身份证补领", "居民身份证换领"]
    assert names(search.search("shenf"))[:2] == ["居民身份证补领", "居民身份证换领"]


def test_partial_hanzi(search):
    found = search.search("身份")
    assert set(names(found[:2])) == {"居民身份证补领", "居民身份证换领"}
    # Every other item asks for a 居民身份证 among its materials: found, but ranked below.
    assert all(h.field == "other" for h in found[2:]) and len(found) == 11  # 农机购置补贴 lists only 购机发票
    assert names(search.search("补领")) == ["居民身份证补领"]


def test_pinyin_matches_only_at_syllable_starts(search):
    # "an" is inside "jian" (建) and "shen" but starts no syllable in these names.
    assert "建房审批" not in names(search.search("an"))


def test_heteronyms_either_reading_works(search):
    for query in ("changqi", "zhangqi", "cqjz", "zqjz"):
        assert names(search.search(query))[:1] == ["长期居住证明"], query
    for query in ("yinhang", "yinxing", "yhk"):
        assert names(search.search(query))[:1] == ["银行卡账户变更"], query
    full, initials = pinyin_variants("长期")
    assert full[0] == ["chang", "qi"] and ["z", "q"] in initials


def test_u_umlaut_typed_as_v_or_u(search):
    assert names(search.search("lvshi"))[:1] == ["律师咨询"]
    assert names(search.search("lushi"))[:1] == ["律师咨询"]


def test_keywords_villagers_use(search):
    assert names(search.search("盖房子")) == ["建房审批"]
    assert names(search.search("gaifang")) == ["建房审批"]
    assert names(search.search("liangbu")) == ["耕地地力保护补贴"]
    assert names(search.search("chidibao")) == ["最低生活保障申请"]


def test_topic_and_other_fields_rank_below_names(search):
    found = search.search("补贴")
    assert names(found)[:2] == ["农机购置补贴", "耕地地力保护补贴"]
    assert names(search.search("发票")) == ["农机购置补贴"]
    assert search.search("发票")[0].field == "other"
    topic_hits = search.search("涉农补贴")
    assert {"农机购置补贴", "耕地地力保护补贴", "银行卡账户变更"} <= set(names(topic_hits))
    assert topic_hits[-1].field == "topic"


def test_homophone_hanzi_ranks_last(search):
    found = search.search("低报")  # typed with the wrong character
    assert "低保" in names(found)
    assert all(h.field == "homophone" for h in found)


def test_several_words_must_all_match(search):
    assert names(search.search("身份证 补领")) == ["居民身份证补领"]
    assert names(search.search("sfz huanling")) == ["居民身份证换领"]


def test_full_width_and_case_are_folded(search):
    assert normalise("ＤＢ ") == "db"
    assert names(search.search("ＤＢ"))[0] == "低保"


def test_empty_query_and_no_match(search):
    assert search.search("") == []
    assert search.search("   ") == []
    assert search.search("zzzzqqq") == []
    assert search.search("火星") == []


def test_limit_and_scores_are_sorted(search):
    hits = search.search("b", limit=3)
    assert len(hits) == 3
    all_hits = search.search("b")
    assert [h.score for h in all_hits] == sorted((h.score for h in all_hits), reverse=True)


def test_code_prefix_finds_item(search):
    assert names(search.search("S000000010")) == ["建房审批"]

"""The shipped sample catalogue: valid, big enough, and covering what the county guideline names."""

from __future__ import annotations

from collections import Counter

import pytest

from bianmin import paths
from bianmin.domain.catalogue import ITEM_TYPES, load_catalogue
from bianmin.domain.search import CatalogueSearch


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(paths.CATALOGUE_FILE)


@pytest.fixture(scope="module")
def search(catalogue):
    return CatalogueSearch(catalogue.items)


def test_valid_marked_sample_and_at_least_125_items(catalogue):
    assert len(catalogue.items) >= 125
    assert catalogue.sample is True
    assert "示例" in catalogue.note and "replaced" in catalogue.note


def test_all_four_item_types_are_well_represented(catalogue):
    counts = Counter(item.item_type for item in catalogue.items)
    assert set(counts) == set(ITEM_TYPES)
    assert min(counts.values()) >= 15


def test_every_level_is_used(catalogue):
    assert {item.decided_at for item in catalogue.items} == {"village", "township", "county"}


# (service area named by the guideline or issue 2, words that must appear in some item's name or keywords)
REQUIRED_AREAS = [
    ("建房审批/宅基地", ["宅基地和建房"]), ("生育登记", ["生育登记"]), ("身份证办理", ["居民身份证首次申领"]),
    ("身份证补办", ["居民身份证补领"]), ("身份证换领", ["居民身份证换领"]), ("户口迁移", ["户口迁入", "户口迁出"]),
    ("户口登记", ["出生登记"]), ("低保", ["最低生活保障"]), ("特困", ["特困人员"]), ("临时救助", ["临时救助"]),
    ("残疾人补贴", ["困难残疾人生活补贴", "重度残疾人护理补贴"]), ("高龄津贴", ["高龄津贴"]),
    ("养老保险", ["城乡居民基本养老保险"]), ("医保参保", ["医疗保险参保"]), ("医保报销", ["报销"]),
    ("计划生育", ["计划生育"]), ("耕地地力", ["耕地地力保护补贴"]), ("草原生态奖补", ["草原生态保护补助奖励"]),
    ("农机购置", ["农机购置"]), ("居住证明", ["居住证明"]), ("亲属关系证明", ["亲属关系证明"]),
    ("无犯罪", ["无犯罪记录证明"]), ("收入证明", ["收入证明"]), ("贫困证明", ["家庭经济困难证明"]),
    ("法律咨询", ["法律咨询"]), ("政策咨询", ["政策咨询"]), ("农技咨询", ["农技知识咨询"]),
    ("市场信息", ["市场价格信息"]), ("劳动力信息", ["劳动力需求"]), ("个体工商户", ["个体工商户设立登记"]),
    ("农民合作社", ["农民专业合作社"]), ("交通/道路运输", ["道路货物运输"]), ("林业采伐", ["林木采伐许可"]),
    ("文化娱乐", ["娱乐场所经营许可", "营业性演出"]), ("殡葬联系", ["殡葬服务联系"]), ("大病保险", ["大病保险"]),
    ("财产保险", ["财产保险"]), ("高龄/低保款代领", ["低保金代领"]), ("民事调解", ["纠纷调解"]),
    ("外来人口登记", ["外来人口登记"]), ("就业登记", ["就业失业登记"]), ("退役军人", ["退役"]),
]


@pytest.mark.parametrize(("area", "words"), REQUIRED_AREAS, ids=[a for a, _ in REQUIRED_AREAS])
def test_required_service_area_is_covered(catalogue, area, words):
    texts = [item.name + " " + " ".join(item.keywords) for item in catalogue.items]
    for word in words:
        assert any(word in text for text in texts), f"{area}: no item mentions {word}"


def test_items_are_realistic(catalogue):
    for item in catalogue.items:
        assert item.steps, item.code
        assert item.promised_limit.days <= item.statutory_limit.days
        if item.item_type == "instant":
            assert item.promised_limit.days == 0, item.code
        if item.item_type in ("proxy", "remote"):
            assert item.materials, item.code
            assert item.legal_basis, item.code
        if item.fees.charged:
            assert item.fees.standard and item.fees.basis, item.code
        assert item.consult_phone and item.complaint_phone and item.location and item.hours
    charged = [item for item in catalogue.items if item.fees.charged]
    assert 2 <= len(charged) <= 10  # free unless the law sets a fee
    assert any("20元" in item.fees.standard for item in charged if "身份证" in item.name)
    assert sum(1 for item in catalogue.items if item.faq) >= 15
    assert sum(1 for item in catalogue.items if item.needs_id_number) >= 60
    assert any(m.requirement == "deferrable" for item in catalogue.items for m in item.materials)
    assert any(m.requirement == "optional" for item in catalogue.items for m in item.materials)


def test_names_are_unique_and_varied(catalogue):
    names = [item.name for item in catalogue.items]
    assert len(set(names)) == len(names)
    material_sets = {tuple(m.name for m in item.materials) for item in catalogue.items}
    assert len(material_sets) > 100


@pytest.mark.parametrize("query", ["低保", "dibao", "db"])
def test_villager_queries_for_dibao(search, query):
    top = search.search(query)[:3]
    assert top and all("低保" in h.item.name or "最低生活保障" in h.item.name for h in top), [h.item.name for h in top]
    assert "最低生活保障申请" in [h.item.name for h in search.search(query)[:3]]


@pytest.mark.parametrize("query", ["身份证", "shenfenzheng", "sfz"])
def test_villager_queries_for_id_card(search, query):
    top = [h.item.name for h in search.search(query)[:4]]
    assert all("身份证" in name for name in top), top
    assert "居民身份证补领" in top


@pytest.mark.parametrize(("query", "expected"), [
    ("五保", "特困人员救助供养申请"), ("残补", "困难残疾人生活补贴申请"), ("caifa", "林木采伐许可证核发"),
    ("砍树", "林木采伐许可证核发"), ("盖房子", "农村村民宅基地和建房（规划许可）申请"),
    ("yingyezhizhao", "个体工商户设立登记"), ("准生证", "生育登记"), ("shangHukou", "出生登记（新生儿落户）"),
    ("草补", "草原生态保护补助奖励申报"), ("新农合", "城乡居民基本医疗保险参保登记"),
])
def test_villager_words_find_the_item(search, query, expected):
    assert expected in [h.item.name for h in search.search(query)[:3]]

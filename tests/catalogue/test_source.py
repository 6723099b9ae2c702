"""The kiosk's active catalogue: downloaded copy, shipped file, last good copy — never a crash."""

from __future__ import annotations

import json

import pytest
import yaml

from bianmin import catalogue_source as source
from bianmin.catalogue_source import install_catalogue, load_active_catalogue
from bianmin.domain.catalogue import CatalogueInvalid
from tests.domain.catalogue_factory import raw_catalogue, raw_item


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def shipped(tmp_path):
    path = tmp_path / "shipped.yaml"
    path.write_text(yaml.safe_dump(raw_catalogue(raw_item("SHIP000001", "居住证明"))), encoding="utf-8")
    return path


def downloaded_raw():
    return raw_catalogue(raw_item("DOWN000001", "最低生活保障申请"), raw_item("DOWN000002", "临时救助申请"))


def codes(active):
    return [item.code for item in active.catalogue.items]


def test_shipped_catalogue_when_nothing_downloaded(home, shipped):
    active = load_active_catalogue(home, shipped)
    assert (active.source, active.warning, codes(active)) == ("shipped", None, ["SHIP000001"])


def test_real_shipped_asset_loads(home):
    active = load_active_catalogue(home)
    assert active.source == "shipped" and len(active.catalogue.items) >= 125 and active.warning is None


def test_installed_catalogue_wins(home, shipped):
    catalogue = install_catalogue(downloaded_raw(), home)
    assert len(catalogue.items) == 2
    active = load_active_catalogue(home, shipped)
    assert active.source == "downloaded" and codes(active) == ["DOWN000001", "DOWN000002"]


@pytest.mark.parametrize("encode", [
    lambda raw: json.dumps(raw, ensure_ascii=False).encode("utf-8"),
    lambda raw: yaml.safe_dump(raw, allow_unicode=True),
], ids=["json-bytes", "yaml-text"])
def test_install_accepts_bytes_and_text(home, shipped, encode):
    install_catalogue(encode(downloaded_raw()), home)
    assert load_active_catalogue(home, shipped).source == "downloaded"


def test_invalid_download_is_refused_and_current_copy_kept(home, shipped):
    install_catalogue(downloaded_raw(), home)
    bad = raw_catalogue(raw_item("BAD0000001", promised_limit={"days": 99}), raw_item("BAD0000002", topics=["x"]))
    with pytest.raises(CatalogueInvalid) as info:
        install_catalogue(bad, home)
    assert len(info.value.problems) == 2
    with pytest.raises(CatalogueInvalid):
        install_catalogue(b"\xff\xfe not utf-8", home)
    with pytest.raises(CatalogueInvalid):
        install_catalogue("items: [unclosed", home)
    assert codes(load_active_catalogue(home, shipped)) == ["DOWN000001", "DOWN000002"]


def test_corrupt_downloaded_file_falls_back_to_last_good_with_warning(home, shipped):
    install_catalogue(downloaded_raw(), home)
    (source.catalogue_dir(home) / source.DOWNLOADED).write_text("{ truncated", encoding="utf-8")
    active = load_active_catalogue(home, shipped)
    assert active.source == "last_good"
    assert codes(active) == ["DOWN000001", "DOWN000002"]
    assert active.warning.key == "catalogue.warning.downloaded_invalid"
    assert "JSON" in active.warning.details
    assert "上一份" in active.warning.text("zh_CN") and "last good" in active.warning.text("en")


def test_downloaded_file_edited_into_an_invalid_catalogue(home, shipped):
    install_catalogue(downloaded_raw(), home)
    broken = downloaded_raw()
    broken["items"][0]["promised_limit"] = {"days": 99}
    (source.catalogue_dir(home) / source.DOWNLOADED).write_text(json.dumps(broken), encoding="utf-8")
    active = load_active_catalogue(home, shipped)
    assert active.source == "last_good" and "DOWN000001" in active.warning.details


def test_malformed_shipped_file_uses_last_good(home, shipped):
    assert load_active_catalogue(home, shipped).source == "shipped"  # remembered as last good
    shipped.write_text("version: [", encoding="utf-8")
    active = load_active_catalogue(home, shipped)
    assert active.source == "last_good" and codes(active) == ["SHIP000001"]
    assert active.warning.key == "catalogue.warning.shipped_invalid"


def test_missing_shipped_file_uses_last_good(home, shipped):
    load_active_catalogue(home, shipped)
    shipped.unlink()
    active = load_active_catalogue(home, shipped)
    assert active.source == "last_good" and active.warning.key == "catalogue.warning.shipped_missing"


def test_nothing_usable_gives_an_empty_catalogue_not_a_crash(home, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw_catalogue(raw_item("X00000001A", topics=["不存在"]))), encoding="utf-8")
    active = load_active_catalogue(home, bad)
    assert active.source == "empty" and active.catalogue.items == []
    assert active.warning.key == "catalogue.warning.none" and "X00000001A" in active.warning.details


def test_validated_json_cache_skips_yaml_on_the_next_start(home, shipped, monkeypatch):
    load_active_catalogue(home, shipped)
    assert list(source.catalogue_dir(home).glob("shipped-*.json"))

    def no_yaml(_path):
        raise AssertionError("YAML parsed although the cache matches")

    monkeypatch.setattr(source, "read_raw", no_yaml)
    assert codes(load_active_catalogue(home, shipped)) == ["SHIP000001"]


def test_cache_follows_changes_to_the_shipped_file(home, shipped):
    load_active_catalogue(home, shipped)
    shipped.write_text(yaml.safe_dump(raw_catalogue(raw_item("SHIP000002", "亲属关系证明"))), encoding="utf-8")
    assert codes(load_active_catalogue(home, shipped)) == ["SHIP000002"]
    assert len(list(source.catalogue_dir(home).glob("shipped-*.json"))) == 1


def test_forget_downloaded_returns_to_shipped(home, shipped):
    install_catalogue(downloaded_raw(), home)
    source.forget_downloaded(home)
    assert load_active_catalogue(home, shipped).source == "shipped"


def test_broken_download_without_last_good_uses_shipped(home, shipped):
    install_catalogue(downloaded_raw(), home)
    folder = source.catalogue_dir(home)
    (folder / source.LAST_GOOD).unlink()
    (folder / source.DOWNLOADED).write_text("garbage", encoding="utf-8")
    active = load_active_catalogue(home, shipped)
    assert active.source == "shipped" and codes(active) == ["SHIP000001"]
    assert active.warning.key == "catalogue.warning.downloaded_invalid"


def test_search_index_reuses_cached_pinyin(home, shipped, monkeypatch):
    from bianmin.catalogue_source import build_search
    from bianmin.domain import search as search_module

    catalogue = load_active_catalogue(home, shipped).catalogue
    first = build_search(catalogue, home)
    cache = source.catalogue_dir(home) / source.PINYIN_CACHE
    assert json.loads(cache.read_text(encoding="utf-8"))["居住证明"] == [["ju"], ["zhu"], ["zheng"], ["ming"]]

    # A fresh kiosk process: nothing converted yet, and pypinyin must not be needed.
    monkeypatch.setattr(search_module, "_READINGS", {})

    def no_pypinyin(text):
        raise AssertionError(f"pypinyin used for {text!r} although cached")

    monkeypatch.setattr(search_module, "_compute_readings", no_pypinyin)
    second = build_search(catalogue, home)
    assert [h.item.code for h in second.search("jzzm")] == [h.item.code for h in first.search("jzzm")] == ["SHIP000001"]


def test_damaged_pinyin_cache_is_rebuilt(home, shipped):
    from bianmin.catalogue_source import build_search

    cache = source.catalogue_dir(home) / source.PINYIN_CACHE
    cache.write_text("[not a mapping", encoding="utf-8")
    index = build_search(load_active_catalogue(home, shipped).catalogue, home)
    assert index.search("juzhu")[0].item.code == "SHIP000001"
    assert "居住证明" in json.loads(cache.read_text(encoding="utf-8"))


def test_hanzi_queries_load_pypinyin_only_for_unknown_characters(home, shipped, monkeypatch):
    from bianmin.catalogue_source import build_search
    from bianmin.domain import search as search_module

    catalogue = load_active_catalogue(home, shipped).catalogue
    build_search(catalogue, home)  # writes the readings cache
    # A fresh kiosk process: readings only from the cache, pypinyin not imported.
    monkeypatch.setattr(search_module, "_READINGS", {})
    monkeypatch.setattr(search_module, "_CHAR_READINGS", {})
    monkeypatch.setattr(search_module, "_pypinyin_loaded", lambda: False)
    converted: list[str] = []
    real = search_module._compute_readings

    def counting(text):
        converted.append(text)
        return real(text)

    monkeypatch.setattr(search_module, "_compute_readings", counting)
    index = build_search(catalogue, home)
    assert [h.item.code for h in index.search("证明居住")] == []
    assert [h.item.code for h in index.search("居住")] == ["SHIP000001"]
    assert converted == []  # every character is in the catalogue: no pypinyin
    # 具 is not in the catalogue: its reading needs pypinyin, and the homophone is found.
    hits = index.search("具住证明")
    assert converted == ["具住证明"]
    assert [(h.item.code, h.field) for h in hits] == [("SHIP000001", "homophone")]

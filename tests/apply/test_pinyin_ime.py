from __future__ import annotations

import pytest

from bianmin.pinyin_ime import PinyinComposer, default_engine, load_lexicon


@pytest.fixture(scope="module")
def engine():
    return default_engine().load()


@pytest.mark.parametrize(("letters", "name"), [
    ("wangxiuying", "王秀英"), ("bateer", "巴特尔"), ("qiqige", "其其格"), ("wuyun", "乌云"),
    ("narenhua", "娜仁花"), ("eerdun", "额尔敦"), ("zhangjianguo", "张建国"),
])
def test_names_are_the_first_candidate(engine, letters, name):
    assert engine.candidates(letters)[0].text == name


def test_segmentation(engine):
    assert engine.segment("zhangjianguo") == [("zhang", True), ("jian", True), ("guo", True)]
    assert engine.segment("eerdun") == [("e", True), ("er", True), ("dun", True)]
    assert engine.segment("wangx") == [("wang", True), ("x", False)]
    assert engine.segment("xi'an") == [("xi", True), ("an", True)]


def test_partial_selection_consumes_only_matched_syllables(engine):
    c = PinyinComposer(engine)
    for ch in "bateer":
        c.type(ch)
    ba = next(x for x in c.candidates() if x.text == "巴")
    c.select(ba)
    assert (c.committed, c.letters) == ("巴", "teer")
    c.select(c.candidates()[0])
    assert (c.committed, c.letters) == ("巴特尔", "")


def test_single_letters_offer_surnames_first(engine):
    first = [x.text for x in engine.candidates("w")[:4]]
    assert "王" in first and "吴" in first


def test_engine_covers_words_outside_the_lexicon(engine):
    assert "西安" in [x.text for x in engine.candidates("xi'an")[:5]]


def test_backspace_and_clear(engine):
    c = PinyinComposer(engine)
    c.set_text("王")
    c.type("x")
    c.backspace()
    assert (c.committed, c.letters) == ("王", "")
    c.backspace()
    assert c.committed == ""
    c.type("A")
    c.type("1")  # not a letter: ignored
    assert c.letters == "a"
    c.clear()
    assert (c.committed, c.letters) == ("", "")


def test_lexicon_is_consistent():
    entries = load_lexicon()
    assert len(entries) > 500
    assert all(len(e.text) == len(e.syllables) for e in entries)


def test_engine_tables_come_from_sqlite_and_match_pinyin2hanzi(tmp_path):
    from Pinyin2Hanzi import DefaultDagParams

    from bianmin.pinyin_dag import SqliteDagParams, ensure

    path = ensure(tmp_path / "dag.sqlite3")
    assert ensure(path) == path  # current: not rebuilt
    stored, original = SqliteDagParams(path), DefaultDagParams()
    for key in ["wang", "xiu", "xi", "an", "wang,xiu", "xi,an", "yi,ge", "zheng,ming", "nosuchsyllable"]:
        assert stored.get_phrase(key.split(","), 6) == original.get_phrase(key.split(","), 6)
    assert stored.get_phrase([], 6) == []

"""Offline pinyin input for the kiosk's name keyboard (no UI; the Kivy widget drives it).

The general engine (Pinyin2Hanzi, trained on running text) ranks personal names badly:
``wang xiu ying`` gives 网秀英 first, and 其其格 / 娜仁花 / 额尔敦 do not appear at all. A
small curated lexicon (``assets/pinyin/names.tsv``: surnames, given names, given-name
characters, Mongolian names written in hanzi) is therefore ranked ahead of the engine.

A candidate says how many syllables of the typed letters it consumes, so choosing 巴
for ``bateer`` leaves ``teer`` to be converted next (partial selection).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from bianmin import paths

LEXICON_FILE = paths.ASSETS / "pinyin" / "names.tsv"
KINDS = ("surname", "given", "char", "name")
SEPARATOR = "'"


@dataclass(frozen=True)
class Candidate:
    text: str
    syllables: int  # how many typed syllables choosing it consumes
    source: str = "lexicon"  # lexicon | engine


@dataclass(frozen=True)
class LexiconEntry:
    kind: str
    text: str
    syllables: tuple[str, ...]
    weight: float


def load_lexicon(path: Path = LEXICON_FILE) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in KINDS:
            raise ValueError(f"{path}:{number}: expected kind<TAB>hanzi<TAB>pinyin<TAB>weight")
        syllables = tuple(parts[2].split())
        if len(syllables) != len(parts[1]):
            raise ValueError(f"{path}:{number}: {parts[1]} has {len(parts[1])} characters but {len(syllables)} syllables")
        entries.append(LexiconEntry(parts[0], parts[1], syllables, float(parts[3])))
    return entries


class _Syllables:
    """Valid pinyin syllables and their prefixes (for segmenting typed letters)."""

    def __init__(self, syllables: set[str]) -> None:
        self.full = frozenset(syllables)
        self.prefixes = frozenset(s[:i] for s in syllables for i in range(1, len(s) + 1))
        self.longest = max(len(s) for s in syllables)


def _engine_syllables() -> set[str]:
    from Pinyin2Hanzi import util

    return set(util.all_pinyin())


class PinyinEngine:
    """Pinyin letters → ranked hanzi candidates. Loads lazily; thread-safe after load."""

    def __init__(self, lexicon_path: Path = LEXICON_FILE, use_engine: bool = True) -> None:
        self._lexicon_path = lexicon_path
        self._use_engine = use_engine
        self._lock = threading.Lock()
        self._loaded = False
        self._dag_params = None
        self._by_kind: dict[str, dict[str, list[LexiconEntry]]] = {}
        self._syll: _Syllables | None = None

    # ----- loading -------------------------------------------------------------------
    def load(self) -> PinyinEngine:
        with self._lock:
            if self._loaded:
                return self
            entries = load_lexicon(self._lexicon_path)
            by_kind: dict[str, dict[str, list[LexiconEntry]]] = {k: defaultdict(list) for k in KINDS}
            for entry in entries:
                by_kind[entry.kind][entry.syllables[0]].append(entry)
            for kind in by_kind.values():
                for bucket in kind.values():
                    bucket.sort(key=lambda e: -e.weight)
            self._by_kind = by_kind
            syllables = {s for e in entries for s in e.syllables}
            if self._use_engine:
                from bianmin.pinyin_dag import load_params

                self._dag_params = load_params()
                syllables |= _engine_syllables()
            self._syll = _Syllables(syllables)
            self._loaded = True
        return self

    # ----- segmentation --------------------------------------------------------------
    def segment(self, letters: str) -> list[tuple[str, bool]]:
        """Split typed letters into (syllable, complete) pieces; only the last may be incomplete.

        Fewest pieces wins (``xian`` is one syllable, not xi+an); an apostrophe forces a
        boundary. Letters that cannot be pinyin at all become one incomplete piece.
        """
        self.load()
        pieces: list[tuple[str, bool]] = []
        chunks = [c for c in letters.lower().split(SEPARATOR) if c]
        for index, chunk in enumerate(chunks):
            part = list(_segment_chunk(chunk, self._syll))
            if index < len(chunks) - 1 and part and not part[-1][1]:
                part[-1] = (part[-1][0], part[-1][0] in self._syll.full)
            pieces.extend(part)
        return pieces

    # ----- candidates ----------------------------------------------------------------
    def candidates(self, letters: str, limit: int = 48) -> list[Candidate]:
        """Ranked candidates for the typed letters: whole-input matches first, then prefixes."""
        self.load()
        pieces = self.segment(letters)
        if not pieces:
            return []
        out: list[Candidate] = []
        seen: set[tuple[str, int]] = set()

        def add(text: str, n: int, source: str = "lexicon") -> None:
            if (text, n) not in seen and text:
                seen.add((text, n))
                out.append(Candidate(text, n, source))

        n = len(pieces)
        for k in range(n, 0, -1):
            head = pieces[:k]
            before = len(out)
            # a name starts with its surname, so single syllables offer surnames first
            kinds = ("name", "given") if k >= 2 else ("surname", "name", "given", "char")
            for kind in kinds:
                for entry in self._matches(kind, head):
                    add(entry.text, k)
            if k >= 2:
                for text in self._compose(head):
                    add(text, k)
            complete_head = all(done for _, done in head)
            if self._dag_params is not None and complete_head:
                # once the lexicon knows a name, the engine's text-like guesses are mostly noise
                count = 40 if k == 1 else (3 if len(out) >= before + 1 else 6)
                for text in self._engine(tuple(s for s, _ in head), count):
                    add(text, k, "engine")
            if len(out) >= limit:
                break
        return out[:limit]

    def _matches(self, kind: str, head: list[tuple[str, bool]]) -> list[LexiconEntry]:
        first, first_done = head[0]
        buckets = self._by_kind.get(kind, {})
        if first_done:
            pool = buckets.get(first, [])
        else:
            pool = [e for key, bucket in buckets.items() if key.startswith(first) for e in bucket]
            pool.sort(key=lambda e: -e.weight)
        return [e for e in pool if _fits(e.syllables, head)]

    def _compose(self, head: list[tuple[str, bool]]) -> list[str]:
        """Surname + given name (王 + 秀英), or surname + name characters (张 + 建 + 国)."""
        surnames = self._matches("surname", head[:1])[:3]
        if not surnames:
            return []
        rest = head[1:]
        results: list[tuple[float, str]] = []
        for surname in surnames:
            for given in self._matches("given", rest)[:4]:
                results.append((surname.weight * 1000 + given.weight, surname.text + given.text))
        if len(rest) <= 2:
            options = [self._matches("char", [piece])[:2] for piece in rest]
            if all(options):
                combos = [""]
                score = [0.0]
                for opts in options:
                    combos = [c + o.text for c in combos for o in opts]
                    score = [s + o.weight for s in score for o in opts]
                best_surname = surnames[0]
                for text, s in zip(combos, score, strict=True):
                    results.append((best_surname.weight + s - 1e6, best_surname.text + text))
        results.sort(key=lambda r: -r[0])
        return [text for _, text in results][:6]

    @lru_cache(maxsize=2048)  # noqa: B019 - one engine per process; bounded cache
    def _engine(self, syllables: tuple[str, ...], count: int) -> tuple[str, ...]:
        from Pinyin2Hanzi import dag

        try:
            paths_found = dag(self._dag_params, list(syllables), path_num=count)
        except Exception:  # an unknown syllable: the engine simply has nothing to offer
            return ()
        return tuple("".join(p.path) for p in paths_found)


def _fits(entry: tuple[str, ...], head: list[tuple[str, bool]]) -> bool:
    if len(entry) != len(head):
        return False
    for syllable, (piece, done) in zip(entry, head, strict=True):
        if done and syllable != piece:
            return False
        if not done and not syllable.startswith(piece):
            return False
    return True


def _segment_chunk(chunk: str, syll: _Syllables) -> list[tuple[str, bool]]:
    @cache
    def best(i: int) -> tuple[float, tuple[tuple[str, bool], ...]] | None:
        if i == len(chunk):
            return (0.0, ())
        options = []
        for j in range(min(len(chunk), i + syll.longest), i, -1):
            piece = chunk[i:j]
            if piece in syll.full:
                rest = best(j)
                if rest is not None:
                    options.append((1 + rest[0], ((piece, True), *rest[1])))
            elif j == len(chunk) and piece in syll.prefixes:
                options.append((1.5, ((piece, False),)))
        if not options:
            return None
        return min(options, key=lambda o: o[0])  # min() keeps the first (longest piece) on ties

    found = best(0)
    if found is None:
        return [(chunk, False)]
    return list(found[1])


class PinyinComposer:
    """The state of one name being typed: committed hanzi + pending pinyin letters."""

    def __init__(self, engine: PinyinEngine, max_letters: int = 36) -> None:
        self.engine = engine
        self.committed = ""
        self.letters = ""
        self.max_letters = max_letters

    @property
    def text(self) -> str:
        return self.committed

    @property
    def preedit(self) -> str:
        """The pending letters split into syllables, e.g. ``ba te er``."""
        return " ".join(piece for piece, _ in self.engine.segment(self.letters)) if self.letters else ""

    def type(self, letter: str) -> None:
        letter = letter.lower()
        if len(letter) == 1 and (letter.isascii() and letter.isalpha() or letter == SEPARATOR):
            if len(self.letters) < self.max_letters:
                self.letters += letter

    def backspace(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
        elif self.committed:
            self.committed = self.committed[:-1]

    def clear(self) -> None:
        self.committed = ""
        self.letters = ""

    def set_text(self, text: str) -> None:
        self.committed = text
        self.letters = ""

    def candidates(self, limit: int = 48) -> list[Candidate]:
        return self.engine.candidates(self.letters, limit) if self.letters else []

    def select(self, candidate: Candidate) -> None:
        """Commit the candidate's hanzi and drop the letters of the syllables it consumed."""
        pieces = self.engine.segment(self.letters)
        consumed = pieces[: candidate.syllables]
        self.committed += candidate.text
        remaining = self.letters.lower()
        for piece, _ in consumed:
            remaining = remaining.lstrip(SEPARATOR)
            remaining = remaining[len(piece):]
        self.letters = remaining.lstrip(SEPARATOR)


_default: PinyinEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> PinyinEngine:
    """The process-wide engine (the lexicon and the engine's tables load once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = PinyinEngine()
    return _default

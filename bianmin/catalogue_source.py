"""Which catalogue the kiosk shows, and keeping a good one whatever happens to the files.

Order of preference:

1. the copy downloaded from the county server (``install_catalogue`` stores it in the
   data directory after validating it);
2. the catalogue shipped in ``assets/catalogue/catalogue.yaml``;
3. the last catalogue that loaded cleanly (``last_good.json`` in the data directory),
   used when the preferred file is missing, malformed or invalid (and the shipped
   file when a broken download has no last good copy to fall back to);
4. an empty catalogue, so the kiosk still starts and can take queue numbers.

Any step down from 1/2 comes with a staff warning (a translation key plus the
details), never an exception: a broken file must not keep a village room closed.

Loading is on the kiosk's cold-start path, so the validated shipped catalogue is
cached as JSON keyed by the YAML file's hash (pydantic parses JSON in Rust, far
faster than YAML + validation in Python).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bianmin import paths
from bianmin.domain.catalogue import Catalogue, CatalogueInvalid, parse_catalogue, read_raw

if TYPE_CHECKING:
    from bianmin.domain.search import CatalogueSearch

DOWNLOADED = "downloaded.json"
LAST_GOOD = "last_good.json"
LAST_GOOD_META = "last_good.meta.json"
SHIPPED_CACHE_PREFIX = "shipped-"
PINYIN_CACHE = "pinyin.json"


@dataclass(frozen=True)
class CatalogueWarning:
    """A message for staff (not villagers): translation key + the technical details."""

    key: str
    details: str = ""

    def text(self, lang: str = "zh_CN") -> str:
        from bianmin.i18n import translate

        return translate(self.key, lang, details=self.details)


@dataclass(frozen=True)
class ActiveCatalogue:
    catalogue: Catalogue
    source: str  # "downloaded" | "shipped" | "last_good" | "empty"
    warning: CatalogueWarning | None = None


def catalogue_dir(home: Path | None = None) -> Path:
    path = (home or paths.data_dir()) / "catalogue"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _to_json(catalogue: Catalogue) -> bytes:
    return catalogue.model_dump_json().encode("utf-8")


def _remember_good(folder: Path, catalogue: Catalogue, source: str, data: bytes | None = None) -> None:
    data = data if data is not None else _to_json(catalogue)
    digest = hashlib.sha256(data).hexdigest()
    meta_path = folder / LAST_GOOD_META
    try:
        if json.loads(meta_path.read_text(encoding="utf-8")).get("sha256") == digest:
            return
    except (OSError, ValueError, AttributeError):
        pass
    try:
        _write_atomic(folder / LAST_GOOD, data)
        _write_atomic(meta_path, json.dumps({"source": source, "sha256": digest}).encode())
    except OSError:
        pass  # a full or read-only disk must not stop the kiosk from showing the catalogue


def _problems_text(exc: Exception) -> str:
    if isinstance(exc, CatalogueInvalid):
        shown = exc.problems[:5]
        more = len(exc.problems) - len(shown)
        return "; ".join(shown) + (f" (+{more})" if more > 0 else "")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _load_json(path: Path) -> tuple[Catalogue, bytes]:
    data = path.read_bytes()
    try:
        return Catalogue.model_validate_json(data), data
    except ValidationError as exc:
        # Re-run the friendly validator so staff see item codes, not pydantic paths.
        try:
            raw = json.loads(data)
        except ValueError:
            raise CatalogueInvalid([f"文件格式错误 / not valid JSON: {path.name}"]) from exc
        parse_catalogue(raw)
        raise CatalogueInvalid([str(exc)]) from exc


def _load_shipped(path: Path, folder: Path) -> Catalogue:
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:20]
    cache = folder / f"{SHIPPED_CACHE_PREFIX}{digest}.json"
    if cache.exists():
        try:
            return Catalogue.model_validate_json(cache.read_bytes())
        except (ValidationError, OSError):
            pass  # stale or damaged cache: rebuild below
    catalogue = load_catalogue_file(path)
    try:
        for old in folder.glob(f"{SHIPPED_CACHE_PREFIX}*.json"):
            old.unlink(missing_ok=True)
        _write_atomic(cache, _to_json(catalogue))
    except OSError:
        pass
    return catalogue


def load_catalogue_file(path: Path) -> Catalogue:
    """Load a YAML or JSON catalogue file; raises CatalogueInvalid listing every problem."""
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CatalogueInvalid([f"找不到文件 / file not found: {path}"]) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise CatalogueInvalid([f"文件格式错误 / not valid JSON: {exc}"]) from exc
        return parse_catalogue(raw)
    return parse_catalogue(read_raw(path))


def _empty() -> Catalogue:
    return Catalogue(version=1, published=date.today(), title="", items=[])


def load_active_catalogue(home: Path | None = None, shipped: Path | None = None) -> ActiveCatalogue:
    """The catalogue to show now. Never raises; see the module docstring for the order."""
    folder = catalogue_dir(home)
    shipped = shipped or paths.CATALOGUE_FILE
    warning: CatalogueWarning | None = None

    downloaded = folder / DOWNLOADED
    if downloaded.exists():
        try:
            catalogue, data = _load_json(downloaded)
            _remember_good(folder, catalogue, "downloaded", data)
            return ActiveCatalogue(catalogue, "downloaded")
        except (CatalogueInvalid, OSError) as exc:
            warning = CatalogueWarning("catalogue.warning.downloaded_invalid", _problems_text(exc))
    else:
        try:
            catalogue = _load_shipped(shipped, folder)
            _remember_good(folder, catalogue, "shipped")
            return ActiveCatalogue(catalogue, "shipped")
        except (CatalogueInvalid, OSError) as exc:
            key = "catalogue.warning.shipped_missing" if not shipped.exists() else "catalogue.warning.shipped_invalid"
            warning = CatalogueWarning(key, _problems_text(exc))

    try:
        catalogue, _ = _load_json(folder / LAST_GOOD)
        return ActiveCatalogue(catalogue, "last_good", warning)
    except (CatalogueInvalid, OSError) as exc:
        last_error = exc
    if downloaded.exists():
        # A broken download and no last good copy: the shipped list beats nothing.
        try:
            return ActiveCatalogue(_load_shipped(shipped, folder), "shipped", warning)
        except (CatalogueInvalid, OSError) as exc:
            last_error = exc
    details = warning.details if warning else ""
    return ActiveCatalogue(
        _empty(), "empty", CatalogueWarning("catalogue.warning.none", f"{details}; {_problems_text(last_error)}")
    )


def install_catalogue(raw: Any, home: Path | None = None) -> Catalogue:
    """Validate a catalogue received from the server and make it the active one.

    ``raw`` is a mapping, or the bytes/text of a JSON or YAML document. Raises
    CatalogueInvalid (listing every problem) and leaves the current copy in place
    when it is not valid; on success the file is replaced atomically.
    """
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogueInvalid(["文件编码不是 UTF-8 / not UTF-8"]) from exc
    if isinstance(raw, str):
        raw = _parse_text(raw)
    catalogue = parse_catalogue(raw)
    folder = catalogue_dir(home)
    data = _to_json(catalogue)
    _write_atomic(folder / DOWNLOADED, data)
    _remember_good(folder, catalogue, "downloaded", data)
    return catalogue


def _parse_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise CatalogueInvalid([f"文件格式错误 / neither JSON nor YAML: {exc}"]) from exc


def build_search(catalogue: Catalogue, home: Path | None = None) -> CatalogueSearch:
    """The kiosk's search index, with pinyin readings from the data directory's cache.

    With every text's readings cached, building the index never imports pypinyin
    (most of a second on the kiosk). New texts are converted and the cache rewritten.
    Still run this in a worker thread: it is work the Home screen need not wait for.
    """
    from bianmin.domain import search

    path = catalogue_dir(home) / PINYIN_CACHE
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, dict):
            search.seed_readings(cached)
    except (OSError, ValueError):
        cached = None
    index = search.CatalogueSearch(catalogue.items)
    readings = index.export_readings()
    if readings != cached:
        try:
            _write_atomic(path, json.dumps(readings, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
    return index


def forget_downloaded(home: Path | None = None) -> None:
    """Go back to the shipped catalogue (staff action, and tests)."""
    (catalogue_dir(home) / DOWNLOADED).unlink(missing_ok=True)

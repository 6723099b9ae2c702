"""`bianmin catalog …`: the county staff's tools for the service catalogue.

validate FILE          (YAML, JSON or XLSX) every problem at once, each with item code and field; exit 1 on errors
export --xlsx OUT      the catalogue as an Excel workbook for editing
import XLSX [--out F]  a workbook back to the YAML catalogue (validated first)
search QUERY [--json]  the same search the kiosk uses; one item per line
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bianmin import paths
from bianmin.domain.catalogue import ITEM_TYPES, Catalogue, CatalogueInvalid


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalog", help="validate, search, export and import the service catalogue")
    verbs = parser.add_subparsers(dest="catalog_command", metavar="ACTION")
    parser.set_defaults(handler=lambda _args: parser.print_help() or 2)

    validate = verbs.add_parser("validate", help="check a catalogue file (YAML, JSON or .xlsx) and list every problem")
    validate.add_argument("file", type=Path)
    validate.set_defaults(handler=cmd_validate)

    export = verbs.add_parser("export", help="write the catalogue as an Excel workbook")
    export.add_argument("--xlsx", type=Path, required=True, metavar="OUT")
    export.add_argument("--catalog", type=Path, help=f"catalogue file (default: {paths.CATALOGUE_FILE.name} shipped)")
    export.set_defaults(handler=cmd_export)

    imp = verbs.add_parser("import", help="read an Excel workbook back into a YAML catalogue")
    imp.add_argument("xlsx", type=Path)
    imp.add_argument("--out", type=Path, help="YAML file to write (default: print to standard output)")
    imp.set_defaults(handler=cmd_import)

    search = verbs.add_parser("search", help="search the catalogue like the kiosk does")
    search.add_argument("query")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--catalog", type=Path, help="catalogue file (default: the kiosk's active catalogue)")
    search.set_defaults(handler=cmd_search)


def _fail(problems: list[str], title: str) -> int:
    print(f"{title}（{len(problems)} 个问题 / problems）:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _load(path: Path | None) -> Catalogue:
    """A YAML or JSON catalogue, or a workbook from `export` (so staff can check an edit first)."""
    from bianmin.catalogue_source import load_catalogue_file

    path = path or paths.CATALOGUE_FILE
    if path.suffix.lower() == ".xlsx":
        from bianmin.domain.catalogue_xlsx import import_xlsx

        return import_xlsx(path)
    return load_catalogue_file(path)


def summary(catalogue: Catalogue) -> str:
    types = Counter(item.item_type for item in catalogue.items)
    parts = ", ".join(f"{t} {types.get(t, 0)}" for t in ITEM_TYPES)
    sample = " — 示例数据 / SAMPLE data" if catalogue.sample else ""
    return (f"OK: {len(catalogue.items)} items ({parts}); version {catalogue.version}, "
            f"published {catalogue.published.isoformat()}{sample}")


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        catalogue = _load(args.file)
    except CatalogueInvalid as exc:
        return _fail(exc.problems, f"{args.file}: 校验未通过 / invalid")
    print(summary(catalogue))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bianmin.domain.catalogue_xlsx import export_xlsx

    try:
        catalogue = _load(args.catalog)
    except CatalogueInvalid as exc:
        return _fail(exc.problems, "目录无效，未导出 / catalogue invalid, nothing exported")
    try:
        export_xlsx(catalogue, args.xlsx)
    except OSError as exc:
        print(f"无法写入 / cannot write {args.xlsx}: {exc}", file=sys.stderr)
        return 1
    print(f"{len(catalogue.items)} items -> {args.xlsx}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bianmin.domain.catalogue import dump_catalogue
    from bianmin.domain.catalogue_xlsx import import_xlsx

    try:
        catalogue = import_xlsx(args.xlsx)
    except CatalogueInvalid as exc:
        return _fail(exc.problems, f"{args.xlsx}: 导入失败 / import failed")
    if args.out:
        try:
            dump_catalogue(catalogue, args.out)
        except OSError as exc:
            print(f"无法写入 / cannot write {args.out}: {exc}", file=sys.stderr)
            return 1
        print(f"{summary(catalogue)} -> {args.out}")
    else:
        import yaml

        data = catalogue.model_dump(mode="json")
        sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from bianmin.domain.search import CatalogueSearch

    if args.catalog:
        try:
            catalogue = _load(args.catalog)
        except CatalogueInvalid as exc:
            return _fail(exc.problems, f"{args.catalog}: 校验未通过 / invalid")
    else:
        from bianmin.catalogue_source import load_active_catalogue

        active = load_active_catalogue()
        if active.warning:
            print(active.warning.text("zh_CN"), file=sys.stderr)
        catalogue = active.catalogue
    hits = CatalogueSearch(catalogue.items).search(args.query, limit=args.limit)
    try:
        _print_hits(hits, args.json)
    except BrokenPipeError:  # `bianmin catalog search x | head`
        sys.stderr.close()
        return 0
    if not hits:
        print(f"没有找到“{args.query}” / no match", file=sys.stderr)
    return 0


def _print_hits(hits: list, as_json: bool) -> None:
    if as_json:
        rows = [{"code": h.item.code, "name": h.item.name, "item_type": h.item.item_type,
                 "score": h.score, "matched": h.field} for h in hits]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for hit in hits:
            print(f"{hit.item.code}\t{hit.item.name}\t{hit.item.item_type}")
    sys.stdout.flush()

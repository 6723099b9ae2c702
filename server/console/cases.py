"""What the case pages share: the user's villages, loading one application in scope,
and reading the one filter (`CaseFilter`) the inbox and the ledger both use."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.console import catalogue_view
from server.console.scope import COUNTY_ADMIN, VillageRef, visible_villages
from server.console.web import Ctx, Refused, small_int
from server.models import Application
from server.models.case_queries import ALL_STATUSES, CaseFilter

# The label shown in a message about a refused filter field.
FILTER_LABELS = {"status": "console.filter.status", "village": "console.filter.village", "item": "console.filter.item",
                 "date_from": "console.filter.from", "date_to": "console.filter.to",
                 "due_before": "console.filter.due_before", "q": "console.filter.search"}


def scope(ctx: Ctx) -> tuple[list[VillageRef], dict[int, VillageRef]]:
    villages = visible_villages(ctx.db, ctx.user)
    return villages, {v.id: v for v in villages}


def scope_ids(ctx: Ctx, by_id: dict[int, VillageRef]) -> list[int] | None:
    """Village ids a query is limited to; None for a county admin (every village)."""
    return None if ctx.user.role == COUNTY_ADMIN else list(by_id)


def item_choices(db: Session) -> list[tuple[str, str]]:
    return sorted(((code, info.name) for code, info in catalogue_view.items(db).items()), key=lambda p: p[1])


def read_filter(ctx: Ctx, raw: dict[str, str], villages: list[VillageRef], defaults: dict[str, Any] | None = None,
                ) -> tuple[CaseFilter, int | None | Literal[False], list[str]]:
    """The validated filter, the chosen village's id (False = outside the scope) and messages."""
    f, refused = CaseFilter.parse(raw, defaults)
    errors = []
    for name, value in refused:
        label = ctx.t(FILTER_LABELS.get(name, "console.filter.apply"))
        if name in ("date_from", "date_to", "due_before"):
            errors.append(ctx.t("console.filter.bad_date", field=label, value=value[:20].replace("\x00", "")))
        elif name == "status":
            errors.append(ctx.t("console.filter.bad_status"))
        else:
            errors.append(ctx.t("console.filter.bad_value", field=label))
    if f.status and f.status != "all" and f.status not in ALL_STATUSES:
        errors.append(ctx.t("console.filter.bad_status"))
        f = f.model_copy(update={"status": (defaults or {}).get("status", "")})
    village_id: int | None | Literal[False] = None
    if f.village:
        chosen = next((v for v in villages if v.code == f.village), None)
        if chosen is None:
            errors.append(ctx.t("console.filter.bad_village"))
            village_id = False
        else:
            village_id = chosen.id
    return f, village_id, errors


def form_values(f: CaseFilter) -> dict[str, Any]:
    """The filter as the templates' form fields expect them (strings, '' when unset)."""
    params = f.query_params()
    return {k: params.get(k, "") for k in FILTER_LABELS} | {"overdue": f.overdue}


def load_application(ctx: Ctx, app_id: str, by_id: dict[int, VillageRef], for_update: bool = False) -> Application:
    number = small_int(app_id)
    if number is None:
        raise Refused(404, "console.error.no_application")
    query = select(Application).where(Application.id == number)
    if for_update:
        from server.db import begin_write

        begin_write(ctx.db)
        query = query.with_for_update()
    app = ctx.db.scalar(query)
    if app is None or (ctx.user.role != COUNTY_ADMIN and app.village_id not in by_id):
        raise Refused(404, "console.error.no_application")  # another village's case: as if absent
    return app

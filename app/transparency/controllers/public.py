"""The public pages: the dossier log, the statistics with the 766 indicators, the digests.
Nobody logs in; every figure comes from the public projections (no personal data)."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterator

from flask import Response, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from app.core.api import ApiError
from app.core.locale import current_locale
from app.core.pagination import CursorError
from app.dossiers.status import CHANNEL_LABELS, Status
from app.transparency import charts, digests, public_log, statistics
from app.transparency.api import cursor_arg
from app.transparency.filters import PublicFilters, choices, parse_filters, unit_ref
from app.transparency.statistics import INDICATORS
from app.units.operations import parent_code

STAT_FIELDS = ("key", "name", "received", "completed", "on_time", "late", "overdue_now",
               "open_now", "ended_without_result", "average_processing_days", "on_time_share",
               "online_share", "paid", "paid_online", "paid_online_share", "digital_result_share",
               "ratings", "satisfaction", "satisfied_share")


def _filters() -> tuple[PublicFilters, dict[str, str]]:
    """The filters asked for; an unknown value is shown as an error, not a 500."""
    try:
        return parse_filters(request.args), {}
    except ApiError as exc:
        return PublicFilters(), {e["path"].lstrip("/"): e["message"] for e in exc.errors}


def dossiers():
    """/public/dossiers: the public log, newest first, one keyset page at a time."""
    filters, errors = _filters()
    try:
        size = public_log.size_arg(request.args)
        rows, next_cursor = public_log.page(filters, cursor_arg(), size)
    except ApiError:
        size = public_log.PAGE_SIZE
        rows, next_cursor = public_log.page(filters, None, size)
        errors["page"] = _("This page link is not valid; start from the first page.")
    month = request.args.get("month", "")
    return render_template(
        "transparency/dossiers.html", rows=rows, next_cursor=next_cursor, filters=filters,
        errors=errors, month=month if not errors.get("month") else "", options=choices(filters),
        statuses=[s for s in Status if s.public], channel_labels=CHANNEL_LABELS,
        first_page=cursor_arg() is None, locale=current_locale()), 422 if errors else 200


def share(value: float | None) -> str:
    """A share (0-1) as "97.8 %", or "—" without a denominator (the template filter `share`)."""
    return "—" if value is None else f"{value * 100:.1f} %"


STAT_PAGE_SIZE = 50  # rows of the page's table; the rest by the "next rows" link


def stats():
    """/public/stats: a summary per province of the last 12 months (unless from/to say other),
    each row a link one level down (a province's units, a unit's procedures, a procedure's
    months); charts; the 766 index of the rows shown."""
    filters, errors = _filters()
    default = filters.month_from is None and filters.month_to is None  # (also after an error)
    if default:
        filters.month_from, filters.month_to = statistics.default_period()
    by = request.args.get("by") or statistics.drill_down(filters)
    if by not in ("unit", "province", "procedure", "month"):
        by, errors["by"] = statistics.drill_down(filters), _("Unknown grouping.")
    try:
        found = statistics.table_page(filters, by, cursor_arg(), STAT_PAGE_SIZE)
    except CursorError:
        found = statistics.table_page(filters, by, None, STAT_PAGE_SIZE)
        errors["page"] = _("This page link is not valid; start from the first page.")
    rows, total = [r.as_dict() for r in found.rows], found.total.as_dict()
    if by in ("unit", "province"):
        index = statistics.index_rows(found.rows, by)
    else:
        index = [statistics.index_of_scope(filters, found.total)]
    months = statistics.months_series(found)
    on_time_chart = charts.bar_chart(
        _("On-time share by %(what)s", what=_group_label(by)),
        _("Share of returned dossiers that were returned on time, for each row of the table "
          "below."), [(r["name"], r["on_time_share"]) for r in rows[:30]], percent=True)
    month_chart = charts.column_chart(
        _("Dossiers received and returned per month"),
        _("For each month: dossiers received and dossiers returned. The same figures are in the "
          "table grouped by month."), [m["key"][2:].replace("-", "/") for m in months],
        [(_("Received"), "chart-bar", [m["received"] for m in months]),
         (_("Returned"), "chart-bar-2", [m["completed"] for m in months])])
    scope = filters.args()
    return render_template(
        "transparency/stats.html", rows=rows, total=total, by=by, filters=filters, errors=errors,
        options=choices(filters), index=index, indicators=INDICATORS, on_time_chart=on_time_chart,
        month_chart=month_chart, download_args={**scope, "by": by}, scope=scope,
        links=[_drill_link(scope, by, r) for r in found.rows], next_cursor=found.next_cursor,
        first_page=cursor_arg() is None, chosen_by=request.args.get("by", ""),
        crumbs=_crumbs(filters), period=_period(filters, default)), 422 if errors else 200


def _period(filters: PublicFilters, default: bool) -> str:
    start = filters.month_from.strftime("%m/%Y") if filters.month_from else "…"
    end = filters.month_to.strftime("%m/%Y") if filters.month_to else "…"
    text = _("Figures from %(start)s to %(end)s.", start=start, end=end)
    if default:
        text += " " + _("The last 12 months unless you choose other months.")
    return text


def _crumbs(filters: PublicFilters) -> list[tuple[str, str | None]]:
    """All provinces › the province › the unit (› the procedure): each a link up, the last not."""
    months = {k: v for k, v in filters.args().items() if k in ("from", "to")}
    province = filters.province
    if filters.unit is not None and province is None:
        code = parent_code(filters.unit.code)
        province = unit_ref(code) if code else None
    crumbs = [(_("All provinces"), url_for("transparency.stats", **months))]
    if province is not None:
        crumbs.append((province.name, url_for("transparency.stats", province=province.code, **months)))
    if filters.unit is not None:
        crumbs.append((filters.unit.name, url_for("transparency.stats", unit=filters.unit.code, **months)))
    if filters.procedure is not None:
        crumbs.append((filters.procedure.name, None))
    else:
        crumbs[-1] = (crumbs[-1][0], None)
    return crumbs


def _drill_link(scope: dict[str, str], by: str, row) -> str | None:
    """The page one level below a row: a province's units, a unit's procedures, a procedure's
    months, a month's figures (the grouping left to the new scope)."""
    if not row.key:
        return None
    args = {k: v for k, v in scope.items()}
    if by == "province":
        args.pop("unit", None)
        args["province"] = row.key
    elif by == "unit":
        args.pop("province", None)
        args["unit"] = row.key
    elif by == "procedure":
        args["procedure"] = row.key
    else:
        args["from"] = args["to"] = row.key
    return url_for("transparency.stats", **args)


def _group_label(by: str) -> str:
    return {"unit": _("unit"), "province": _("province"), "procedure": _("procedure"),
            "month": _("month")}[by]


def stats_download(fmt: str):
    """/public/stats.csv and /public/stats.json: the same figures as open data, every row of the
    scope, streamed from the database as they are written."""
    filters, errors = _filters()
    by = request.args.get("by", "unit_procedure")
    if errors or by not in statistics.DIMENSIONS:
        return Response(json.dumps({"message": _("Some of the information is not valid."),
                                    "errors": [{"path": "/" + k, "message": v}
                                               for k, v in (errors or {"by": "?"}).items()]},
                                   ensure_ascii=False), 422, mimetype="application/json")
    body = _json_lines(filters, by) if fmt == "json" else _csv_lines(filters, by)
    response = Response(stream_with_context(body),
                        mimetype="application/json" if fmt == "json" else "text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=motcua-stats-{by}.{fmt}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json_lines(filters, by: str) -> Iterator[str]:
    """{"by", the filters, "result": [rows…], "total"}: a row at a time, the total last."""
    head = json.dumps({"by": by, **filters.args()}, ensure_ascii=False)
    yield head[:-1] + ', "result": ['  # (the object always has "by")
    total = statistics.StatRow("", _("Total"))
    for i, row in enumerate(statistics.stream_rows(filters, by)):
        statistics.add_to(total, row)
        yield ("," if i else "") + "\n" + json.dumps(row.as_dict(), ensure_ascii=False)
    yield '\n], "total": ' + json.dumps(total.as_dict(), ensure_ascii=False) + "}\n"


def _csv_lines(filters, by: str) -> Iterator[str]:
    """The rows as CSV (UTF-8 with a byte-order mark, for spreadsheets), a batch at a time."""
    out = io.StringIO()
    fields = (("unit_code", "procedure_code", *STAT_FIELDS[2:]) if by == "unit_procedure"
              else STAT_FIELDS)
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    out.write("\ufeff")
    writer.writeheader()
    for i, row in enumerate(statistics.stream_rows(filters, by)):
        values = row.as_dict()
        if by == "unit_procedure":
            values = {**values, "unit_code": values["unit"]["code"],
                      "procedure_code": values["procedure"]["code"]}
        writer.writerow(values)
        if i % 500 == 499:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def digests_page():
    """/public/digests: the published digests and how to check them."""
    return render_template("transparency/digests.html", rows=digests.published(366))

"""The public pages: the dossier log, the statistics with the 766 indicators, the digests.
Nobody logs in; every figure comes from the public projections (no personal data)."""
from __future__ import annotations

import csv
import io
import json

from flask import Response, render_template, request
from flask_babel import gettext as _

from app.core.api import ApiError
from app.core.locale import current_locale
from app.dossiers.status import CHANNEL_LABELS, Status
from app.transparency import charts, digests, public_log, statistics
from app.transparency.api import cursor_arg
from app.transparency.filters import PublicFilters, choices, parse_filters
from app.transparency.statistics import INDICATORS

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


def _stats_context(filters: PublicFilters, by: str):
    rows, total = statistics.table(filters, by)
    return [r.as_dict() for r in rows], total.as_dict()


def stats():
    """/public/stats: figures per province, unit, procedure or month, charts, the 766 index."""
    filters, errors = _filters()
    by = request.args.get("by", "unit")
    if by not in ("unit", "province", "procedure", "month"):
        by, errors["by"] = "unit", _("Unknown grouping.")
    rows, total = _stats_context(filters, by)
    index = statistics.index_766(filters, "unit" if by == "unit" else "province")
    months = statistics.months_series(filters)
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
    return render_template(
        "transparency/stats.html", rows=rows, total=total, by=by, filters=filters, errors=errors,
        options=choices(filters), index=index, indicators=INDICATORS, on_time_chart=on_time_chart,
        month_chart=month_chart, download_args={**filters.args(), "by": by}), \
        422 if errors else 200


def _group_label(by: str) -> str:
    return {"unit": _("unit"), "province": _("province"), "procedure": _("procedure"),
            "month": _("month")}[by]


def stats_download(fmt: str):
    """/public/stats.csv and /public/stats.json: the same figures as open data."""
    filters, errors = _filters()
    by = request.args.get("by", "unit_procedure")
    if errors or by not in statistics.DIMENSIONS:
        return Response(json.dumps({"message": _("Some of the information is not valid."),
                                    "errors": [{"path": "/" + k, "message": v}
                                               for k, v in (errors or {"by": "?"}).items()]},
                                   ensure_ascii=False), 422, mimetype="application/json")
    rows, total = _stats_context(filters, by)
    stem = f"motcua-stats-{by}"
    if fmt == "json":
        body = json.dumps({"by": by, **filters.args(), "result": rows, "total": total},
                          ensure_ascii=False, indent=1)
        response = Response(body, mimetype="application/json")
    else:
        out = io.StringIO()
        fields = (("unit_code", "procedure_code", *STAT_FIELDS[2:]) if by == "unit_procedure"
                  else STAT_FIELDS)
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            if by == "unit_procedure":
                row = {**row, "unit_code": row["unit"]["code"],
                       "procedure_code": row["procedure"]["code"]}
            writer.writerow(row)
        response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={stem}.{fmt}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def digests_page():
    """/public/digests: the published digests and how to check them."""
    return render_template("transparency/digests.html", rows=digests.published(366))

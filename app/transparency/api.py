"""/api/v1/public/dossiers, /public/stats, /public/digests: open data, no personal data."""
from __future__ import annotations

from flask import jsonify, request
from flask_appbuilder.api import expose
from flask_babel import gettext as _

from app.core.api import ApiError, RestApi, handled, ok, page_size_arg, query_enum
from app.core.badinput import page_is_a_cursor
from app.core.pagination import CursorError
from app.dossiers.status import STATUSES
from app.transparency import digests, public_log, statistics
from app.transparency.filters import parse_filters

PUBLIC_STATUSES = [s for s in STATUSES if s != "draft"]


def cursor_arg() -> str | None:
    """The keyset cursor: `page` (CONTRACT.md) or `after`; "1" or nothing is the first page."""
    value = (request.args.get("page") or request.args.get("after") or "").strip()
    return None if value in ("", "1") else value


# The public log pages by keyset: its `page` is the next_cursor of the previous page.
page_is_a_cursor("TransparencyApi.dossiers", "transparency.dossiers")
page_is_a_cursor("TransparencyApi.stats", "transparency.stats")


class TransparencyApi(RestApi):
    """Anyone may read; every answer comes from the public projections only."""

    resource_name = "public"
    openapi_spec_tag = "Public"

    @expose("/dossiers", methods=["GET"])
    @handled
    @query_enum("status", PUBLIC_STATUSES)
    def dossiers(self):
        """The public dossier log, newest first: ?province=&unit=&procedure=&status=&month=YYYY-MM
        &page=<next_cursor>&page_size= (keyset pages). Applicants are masked ("Nguyễn V. A.").
        ---
        get:
          parameters:
          - {in: query, name: province, schema: {type: string, maxLength: 20}, description: a province's code}
          - {in: query, name: unit, schema: {type: string, maxLength: 20}, description: a unit's code}
          - {in: query, name: procedure, schema: {type: string, maxLength: 50}, description: a procedure's code}
          - {in: query, name: status, schema: {type: string}}
          - {in: query, name: month, schema: {type: string, pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$'}}
          - {in: query, name: page, schema: {type: string, maxLength: 200}, description: next_cursor of the previous page}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200: {description: "{result: [...], count, next_cursor}"}
            400: {description: Invalid page link}
            422: {description: Unknown filter value}
        """
        filters = parse_filters(request.args)
        rows, cursor = public_log.page(filters, cursor_arg(), public_log.size_arg(request.args))
        return ok({"result": rows, "count": len(rows), "next_cursor": cursor})

    @expose("/stats", methods=["GET"])
    @handled
    @query_enum("by", statistics.DIMENSIONS)
    def stats(self):
        """Counts per unit and procedure (or ?by=unit|province|procedure|month), for
        ?province=&unit=&procedure=&from=YYYY-MM&to=YYYY-MM (all months by default), in keyset
        pages of page_size rows (100 by default, at most 100) in the order of the codes (months
        newest first): pass next_cursor as page for the next. total sums the whole scope on
        every page. With ?indicators=1 the Decision 766 indicators of the page's provinces (or
        units with by=unit). Every row at once: /public/stats.csv and .json. Columns:
        docs/open-data.md.
        ---
        get:
          parameters:
          - {in: query, name: province, schema: {type: string, maxLength: 20}, description: a province's code}
          - {in: query, name: unit, schema: {type: string, maxLength: 20}, description: a unit's code}
          - {in: query, name: procedure, schema: {type: string, maxLength: 50}, description: a procedure's code}
          - {in: query, name: month, schema: {type: string, pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$'}}
          - {in: query, name: from, schema: {type: string, pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$'}}
          - {in: query, name: to, schema: {type: string, pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$'}}
          - {in: query, name: by, schema: {type: string}, description: "unit_procedure (default), unit, province, procedure or month"}
          - {in: query, name: indicators, schema: {type: string, enum: ["", "0", "1"]}, description: 1 adds the Decision 766 indicators}
          - {in: query, name: page, schema: {type: string, maxLength: 400}, description: next_cursor of the previous page}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100, default: 100}}
          responses:
            200: {description: "{by, province, unit, procedure, from, to, result: [...], count, next_cursor, total, indicators?}"}
            400: {description: Invalid page link or page_size}
            422: {description: Unknown filter value}
        """
        filters = parse_filters(request.args)
        by = request.args.get("by") or "unit_procedure"
        if by not in statistics.DIMENSIONS:
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/by", "message": _("Unknown grouping.")}])
        size = page_size_arg(request.args, statistics.PAGE_SIZE, statistics.PAGE_SIZE)
        try:
            found = statistics.table_page(filters, by, cursor_arg(), size)
        except CursorError:
            raise ApiError(400, _("This page link is not valid; start from the first page.")) from None
        payload = {"by": by, **filters.args(), "result": [r.as_dict() for r in found.rows],
                   "count": len(found.rows), "next_cursor": found.next_cursor,
                   "total": found.total.as_dict()}
        if request.args.get("indicators") == "1":
            if by in ("unit", "province"):
                payload["indicators"] = statistics.index_rows(found.rows, by)
            else:  # per province, as many as the page holds
                payload["indicators"] = statistics.index_766(filters, "province", None, size)
        return ok(payload)

    @expose("/digests", methods=["GET"])
    @handled
    def digests(self):
        """The published daily digests of the history, newest first, as a JSON array
        [{"date","digest","events","merkle_root","previous","published_at"}] (?limit=, ≤ 366).
        ---
        get:
          parameters:
          - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 366}}
          responses:
            200: {description: The digests}
        """
        try:
            limit = int(request.args.get("limit", 366))
        except ValueError:
            raise ApiError(400, _("limit must be a whole number.")) from None
        if not 1 <= limit <= 366:
            raise ApiError(400, _("limit must be from 1 to 366."))
        return jsonify([digests.as_dict(d) for d in digests.published(limit)])

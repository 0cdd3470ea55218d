"""/api/v1/public/dossiers, /public/stats, /public/digests: open data, no personal data."""
from __future__ import annotations

from flask import jsonify, request
from flask_appbuilder.api import expose
from flask_babel import gettext as _

from app.core.api import ApiError, RestApi, handled, ok
from app.core.badinput import page_is_a_cursor
from app.transparency import digests, public_log, statistics
from app.transparency.filters import parse_filters


def cursor_arg() -> str | None:
    """The keyset cursor: `page` (CONTRACT.md) or `after`; "1" or nothing is the first page."""
    value = (request.args.get("page") or request.args.get("after") or "").strip()
    return None if value in ("", "1") else value


# The public log pages by keyset: its `page` is the next_cursor of the previous page.
page_is_a_cursor("TransparencyApi.dossiers", "transparency.dossiers")


class TransparencyApi(RestApi):
    """Anyone may read; every answer comes from the public projections only."""

    resource_name = "public"
    openapi_spec_tag = "Public"

    @expose("/dossiers", methods=["GET"])
    @handled
    def dossiers(self):
        """The public dossier log, newest first: ?province=&unit=&procedure=&status=&month=YYYY-MM
        &page=<next_cursor>&page_size= (keyset pages). Applicants are masked ("Nguyễn V. A.").
        ---
        get:
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
    def stats(self):
        """Counts per unit and procedure (or ?by=unit|province|procedure|month), for
        ?province=&unit=&procedure=&from=YYYY-MM&to=YYYY-MM; with ?indicators=1 the Decision 766
        indicators per province (or per unit with by=unit). Columns: docs/open-data.md.
        ---
        get:
          responses:
            200: {description: "{by, from, to, result: [...], total}"}
            422: {description: Unknown filter value}
        """
        filters = parse_filters(request.args)
        by = request.args.get("by", "unit_procedure")
        if by not in statistics.DIMENSIONS:
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/by", "message": _("Unknown grouping.")}])
        rows, total = statistics.table(filters, by)
        payload = {"by": by, **filters.args(), "result": [r.as_dict() for r in rows],
                   "total": total.as_dict()}
        if request.args.get("indicators"):
            payload["indicators"] = statistics.index_766(filters, "unit" if by == "unit" else "province")
        return ok(payload)

    @expose("/digests", methods=["GET"])
    @handled
    def digests(self):
        """The published daily digests of the history, newest first, as a JSON array
        [{"date","digest","events","merkle_root","previous","published_at"}] (?limit=, ≤ 366).
        ---
        get:
          responses:
            200: {description: The digests}
        """
        try:
            limit = max(1, min(366, int(request.args.get("limit", 366))))
        except ValueError:
            raise ApiError(400, _("limit must be a whole number.")) from None
        return jsonify([digests.as_dict(d) for d in digests.published(limit)])

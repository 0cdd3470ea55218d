"""The access matrix: every URL rule of the application × every role × every method it accepts.

The rules are enumerated from `app.url_map`, so a new route cannot escape: a rule missing from
EXPECTED (or listed but gone) fails the suite. Each rule is sent as each role against citizen A's
dossier at commune X (tests/proof/world.py) and its answer classified as let in ("Y": anything but a
refusal) or turned away ("."; 401, 403, 404, or sent to a login page); a 5xx fails whatever the role.

A request that could change something (any method but GET, and FAB's GET delete/action) is sent
only as the roles the policy turns away, so the world stays as built; the roles it lets in are
shown their way by the functional tests. Logging out is never sent: it would end the role's session.

Roles, in the order of the policy strings: anonymous, citizen A (owner), citizen B, officer of X,
officer of Y, auditor, administrator.
"""
from __future__ import annotations

import pytest

from tests.proof.matrix import BODIES, Doors, fill, outcome, view_models
from tests.proof.world import ROLES, build

PUBLIC = "YYYYYYY"  # anyone
SIGNED_IN = ".YYYYYY"  # any account
CITIZENS = ".YY...."  # citizens: filing online
OWNER = ".Y....."  # citizen A alone: their own dossier's pages
OWNER_UNIT = ".Y.Y.YY"  # the owner, the officers of its unit, the auditor, the administrator
# The provincial administrator acts as an officer of every unit (app/dossiers/filters.py).
ACTORS = ".Y.Y..Y"  # who may act on it: the owner (withdraw), its unit's officers, the administrator
UNIT_OFFICER = "...Y..Y"  # its unit's officers and the administrator: the back office's actions
UNIT_STAFF = "...Y.YY"  # its unit's officers, the auditor and the administrator
COUNTER = "...YY.Y"  # officers (at their own units' counters) and the administrator
STAFF = "...YYYY"  # every officer (their own units' rows), the auditor, the administrator
AUDIT = ".....YY"  # the auditor and the administrator
ADMIN = "......Y"  # the administrator
NOBODY = "......."  # nobody: a door FAB opens that MotCua keeps shut, or names nothing

SESSION_ENDING = {"POST /account/logout", "POST /logout/"}

EXPECTED = {
    "GET /":                                                                         PUBLIC,
    "GET /account/captcha/<challenge_id>.png":                                       NOBODY,
    "GET /account/captcha/<challenge_id>.wav":                                       NOBODY,
    "POST /account/captcha/refresh":                                                 PUBLIC,
    "GET /account/login":                                                            PUBLIC,
    "POST /account/login":                                                           PUBLIC,
    "POST /account/logout":                                                          PUBLIC,
    "GET /account/oidc/<name>/callback":                                             NOBODY,
    "GET /account/oidc/<name>/login":                                                NOBODY,
    "GET /account/password/forgot":                                                  PUBLIC,
    "POST /account/password/forgot":                                                 PUBLIC,
    "GET /account/password/reset/<token>":                                           PUBLIC,
    "POST /account/password/reset/<token>":                                          PUBLIC,
    "GET /account/profile":                                                          SIGNED_IN,
    "POST /account/profile":                                                         SIGNED_IN,
    "GET /account/register":                                                         PUBLIC,
    "POST /account/register":                                                        PUBLIC,
    "POST /account/verify":                                                          PUBLIC,
    "GET /account/verify/<token>":                                                   PUBLIC,
    "GET /admin/":                                                                   STAFF,
    "GET /admin/citizens/action/<string:name>/<pk>":                                 NOBODY,
    "POST /admin/citizens/action/<string:name>/<pk>":                                NOBODY,
    "POST /admin/citizens/action_post":                                              NOBODY,
    "GET /admin/citizens/add":                                                       NOBODY,
    "POST /admin/citizens/add":                                                      NOBODY,
    "GET /admin/citizens/delete/<pk>":                                               ADMIN,
    "POST /admin/citizens/delete/<pk>":                                              ADMIN,
    "GET /admin/citizens/download/<string:filename>":                                NOBODY,
    "GET /admin/citizens/edit/<pk>":                                                 NOBODY,
    "POST /admin/citizens/edit/<pk>":                                                NOBODY,
    "GET /admin/citizens/list/":                                                     ADMIN,
    "GET /admin/citizens/show/<pk>":                                                 ADMIN,
    "GET /admin/fees/":                                                              ADMIN,
    "POST /admin/fees/":                                                             ADMIN,
    "GET /admin/notification-texts/":                                                ADMIN,
    "POST /admin/notification-texts/delete/<int:text_id>":                           ADMIN,
    "GET /admin/notification-texts/edit":                                            ADMIN,
    "POST /admin/notification-texts/edit":                                           ADMIN,
    "GET /admin/notification-texts/edit/<int:text_id>":                              ADMIN,
    "POST /admin/notification-texts/edit/<int:text_id>":                             ADMIN,
    "GET /admin/procedure-editor/":                                                  ADMIN,
    "GET /admin/procedure-editor/<code>/builder":                                    ADMIN,
    "POST /admin/procedure-editor/<code>/builder":                                   ADMIN,
    "POST /admin/procedure-editor/<code>/builder/preview":                           ADMIN,
    "GET /admin/procedure-editor/<code>/diff":                                       ADMIN,
    "GET /admin/procedure-editor/<code>/export":                                     ADMIN,
    "GET /admin/procedure-editor/<code>/form":                                       ADMIN,
    "POST /admin/procedure-editor/<code>/form":                                      ADMIN,
    "GET /admin/procedure-editor/<code>/meta":                                       ADMIN,
    "POST /admin/procedure-editor/<code>/meta":                                      ADMIN,
    "GET /admin/procedure-editor/<code>/publish":                                    ADMIN,
    "POST /admin/procedure-editor/<code>/publish":                                   ADMIN,
    "GET /admin/procedure-editor/<code>/templates":                                  ADMIN,
    "POST /admin/procedure-editor/<code>/templates":                                 ADMIN,
    "POST /admin/procedure-editor/<code>/templates/<int:template_id>/delete":        ADMIN,
    "GET /admin/procedure-editor/<code>/versions":                                   ADMIN,
    "GET /admin/procedure-editor/<code>/versions/<int:number>/restore":              ADMIN,
    "POST /admin/procedure-editor/<code>/versions/<int:number>/restore":             ADMIN,
    "GET /admin/procedure-editor/import":                                            ADMIN,
    "POST /admin/procedure-editor/import":                                           ADMIN,
    "GET /admin/procedure-editor/new":                                               ADMIN,
    "POST /admin/procedure-editor/new":                                              ADMIN,
    "POST /admin/procedure-editor/preview":                                          ADMIN,
    "GET /admin/signing-certificates/":                                              ADMIN,
    "POST /admin/signing-certificates/":                                             ADMIN,
    "POST /admin/signing-certificates/delete/<owner_code>":                          ADMIN,
    "GET /admin/staff/":                                                             ADMIN,
    "GET /admin/staff/<int:user_id>":                                                ADMIN,
    "POST /admin/staff/<int:user_id>":                                               ADMIN,
    "GET /admin/staff/new":                                                          ADMIN,
    "POST /admin/staff/new":                                                         ADMIN,
    "GET /admin/units-tools/":                                                       ADMIN,
    "POST /admin/units-tools/":                                                      ADMIN,
    "GET /admin/units-tools/assign/<code>":                                          ADMIN,
    "POST /admin/units-tools/assign/<code>":                                         ADMIN,
    "GET /admin/working-calendar/":                                                  ADMIN,
    "POST /admin/working-calendar/":                                                 ADMIN,
    "GET /adminauditmodelview/action/<string:name>/<pk>":                            NOBODY,
    "POST /adminauditmodelview/action/<string:name>/<pk>":                           NOBODY,
    "POST /adminauditmodelview/action_post":                                         NOBODY,
    "GET /adminauditmodelview/add":                                                  NOBODY,
    "POST /adminauditmodelview/add":                                                 NOBODY,
    "GET /adminauditmodelview/delete/<pk>":                                          NOBODY,
    "POST /adminauditmodelview/delete/<pk>":                                         NOBODY,
    "GET /adminauditmodelview/download/<string:filename>":                           NOBODY,
    "GET /adminauditmodelview/edit/<pk>":                                            NOBODY,
    "POST /adminauditmodelview/edit/<pk>":                                           NOBODY,
    "GET /adminauditmodelview/list/":                                                ADMIN,
    "GET /adminauditmodelview/show/<pk>":                                            ADMIN,
    "GET /api/<version>/_openapi":                                                   PUBLIC,
    "POST /api/v1/counter/claim":                                                    CITIZENS,
    "POST /api/v1/counter/dossiers":                                                 COUNTER,
    "POST /api/v1/dossiers/":                                                        CITIZENS,
    "GET /api/v1/dossiers/":                                                         SIGNED_IN,
    "GET /api/v1/dossiers/<code>":                                                   OWNER_UNIT,
    "PUT /api/v1/dossiers/<code>":                                                   OWNER,
    "POST /api/v1/dossiers/<code>/actions":                                          ACTORS,
    "POST /api/v1/dossiers/<code>/attachments":                                      OWNER,
    "DELETE /api/v1/dossiers/<code>/attachments/<int:attachment_id>":                OWNER,
    "GET /api/v1/dossiers/<code>/attachments/<int:attachment_id>":                   OWNER_UNIT,
    "GET /api/v1/dossiers/<code>/payments":                                          OWNER_UNIT,
    "POST /api/v1/dossiers/<code>/payments":                                         OWNER,
    "POST /api/v1/dossiers/<code>/submit":                                           OWNER,
    "GET /api/v1/lookup/":                                                           PUBLIC,
    "GET /api/v1/procedures/":                                                       PUBLIC,
    "GET /api/v1/procedures/<code>":                                                 PUBLIC,
    "GET /api/v1/public/digests":                                                    PUBLIC,
    "GET /api/v1/public/dossiers":                                                   PUBLIC,
    "GET /api/v1/public/stats":                                                      PUBLIC,
    "GET /api/v1/public/documents/<public_id>":                                      PUBLIC,
    "POST /api/v1/public/documents/<public_id>/verify":                              PUBLIC,
    "POST /api/v1/security/login":                                                   PUBLIC,
    "POST /api/v1/security/refresh":                                                 SIGNED_IN,
    "GET /api/v1/units/":                                                            PUBLIC,
    "GET /audit/access-log":                                                         ADMIN,
    "GET /audit/dossiers":                                                           AUDIT,
    "GET /audit/dossiers.csv":                                                       AUDIT,
    "GET /audit/dossiers/<code>":                                                    AUDIT,
    "GET /back":                                                                     PUBLIC,
    "GET /backoffice/":                                                              STAFF,
    "GET /backoffice/counter":                                                       COUNTER,
    "POST /backoffice/counter":                                                      COUNTER,
    "GET /backoffice/counter/<code>":                                                UNIT_OFFICER,
    "POST /backoffice/counter/<code>":                                               UNIT_OFFICER,
    "GET /backoffice/register":                                                      STAFF,
    "GET /backoffice/dossiers/<code>":                                               UNIT_STAFF,
    "POST /backoffice/dossiers/<code>/actions":                                      UNIT_OFFICER,
    "GET /backoffice/dossiers/<code>/attachments/<int:attachment_id>":               UNIT_STAFF,
    "GET /documents/<code>/<kind>.pdf":                                              OWNER_UNIT,
    "GET /documents/<code>/results/<int:result_id>":                                 OWNER_UNIT,
    "GET /dossiereventmodelview/action/<string:name>/<pk>":                          NOBODY,
    "POST /dossiereventmodelview/action/<string:name>/<pk>":                         NOBODY,
    "POST /dossiereventmodelview/action_post":                                       NOBODY,
    "GET /dossiereventmodelview/add":                                                NOBODY,
    "POST /dossiereventmodelview/add":                                               NOBODY,
    "GET /dossiereventmodelview/delete/<pk>":                                        NOBODY,
    "POST /dossiereventmodelview/delete/<pk>":                                       NOBODY,
    "GET /dossiereventmodelview/download/<string:filename>":                         NOBODY,
    "GET /dossiereventmodelview/edit/<pk>":                                          NOBODY,
    "POST /dossiereventmodelview/edit/<pk>":                                         NOBODY,
    "GET /dossiereventmodelview/list/":                                              AUDIT,
    "GET /dossiereventmodelview/show/<pk>":                                          AUDIT,
    "GET /dossiermodelview/action/<string:name>/<pk>":                               NOBODY,
    "POST /dossiermodelview/action/<string:name>/<pk>":                              NOBODY,
    "POST /dossiermodelview/action_post":                                            NOBODY,
    "GET /dossiermodelview/add":                                                     NOBODY,
    "POST /dossiermodelview/add":                                                    NOBODY,
    "GET /dossiermodelview/delete/<pk>":                                             NOBODY,
    "POST /dossiermodelview/delete/<pk>":                                            NOBODY,
    "GET /dossiermodelview/download/<string:filename>":                              NOBODY,
    "GET /dossiermodelview/edit/<pk>":                                               UNIT_OFFICER,
    "POST /dossiermodelview/edit/<pk>":                                              UNIT_OFFICER,
    "GET /dossiermodelview/list/":                                                   STAFF,
    "GET /dossiermodelview/show/<pk>":                                               UNIT_STAFF,
    "GET /dossiers/<code>/rating":                                                   OWNER,
    "POST /dossiers/<code>/rating":                                                  OWNER,
    "GET /favicon.ico":                                                              PUBLIC,
    "GET /fieldmodelview/action/<string:name>/<pk>":                                 NOBODY,
    "POST /fieldmodelview/action/<string:name>/<pk>":                                NOBODY,
    "POST /fieldmodelview/action_post":                                              NOBODY,
    "GET /fieldmodelview/add":                                                       ADMIN,
    "POST /fieldmodelview/add":                                                      ADMIN,
    "GET /fieldmodelview/delete/<pk>":                                               ADMIN,
    "POST /fieldmodelview/delete/<pk>":                                              ADMIN,
    "GET /fieldmodelview/download/<string:filename>":                                NOBODY,
    "GET /fieldmodelview/edit/<pk>":                                                 ADMIN,
    "POST /fieldmodelview/edit/<pk>":                                                ADMIN,
    "GET /fieldmodelview/list/":                                                     STAFF,
    "GET /fieldmodelview/show/<pk>":                                                 STAFF,
    "GET /file/<procedure_code>":                                                    CITIZENS,
    "POST /file/<procedure_code>":                                                   CITIZENS,
    "GET /groups/action/<string:name>/<pk>":                                         NOBODY,
    "POST /groups/action/<string:name>/<pk>":                                        NOBODY,
    "POST /groups/action_post":                                                      NOBODY,
    "GET /groups/add":                                                               ADMIN,
    "POST /groups/add":                                                              ADMIN,
    "GET /groups/delete/<pk>":                                                       ADMIN,
    "POST /groups/delete/<pk>":                                                      ADMIN,
    "GET /groups/download/<string:filename>":                                        NOBODY,
    "GET /groups/edit/<pk>":                                                         NOBODY,
    "POST /groups/edit/<pk>":                                                        NOBODY,
    "GET /groups/list/":                                                             ADMIN,
    "GET /groups/show/<pk>":                                                         NOBODY,
    "GET /lang/<string:locale>":                                                     PUBLIC,
    "GET /language/<code>":                                                          PUBLIC,
    "GET /login/":                                                                   SIGNED_IN,  # anonymous: on to /account/login
    "POST /login/":                                                                  PUBLIC,
    "POST /logout/":                                                                 PUBLIC,
    "GET /lookup":                                                                   PUBLIC,
    "GET /my/claim":                                                                 SIGNED_IN,
    "POST /my/claim":                                                                CITIZENS,
    "GET /my/dossiers":                                                              SIGNED_IN,
    "GET /my/dossiers/<code>":                                                       OWNER,
    "GET /my/dossiers/<code>/declaration":                                           OWNER,
    "POST /my/dossiers/<code>/declaration":                                          OWNER,
    "GET /my/dossiers/<code>/delivery":                                              OWNER,
    "POST /my/dossiers/<code>/delivery":                                             OWNER,
    "GET /my/dossiers/<code>/documents":                                             OWNER,
    "POST /my/dossiers/<code>/documents":                                            OWNER,
    "GET /my/dossiers/<code>/files/<int:attachment_id>":                             OWNER,
    "GET /my/dossiers/<code>/papers/<kind>.pdf":                                     OWNER,
    "POST /my/dossiers/<code>/pay":                                                  OWNER,
    "GET /my/dossiers/<code>/results/<int:result_id>":                               OWNER,
    "GET /my/dossiers/<code>/review":                                                OWNER,
    "GET /my/dossiers/<code>/submit":                                                OWNER,
    "POST /my/dossiers/<code>/submit":                                               OWNER,
    "GET /my/dossiers/<code>/submitted":                                             OWNER,
    "POST /my/dossiers/<code>/withdraw":                                             OWNER,
    "GET /payments/<txn_ref>/receipt.pdf":                                           OWNER_UNIT,
    "GET /payments/return":                                                          PUBLIC,
    "GET /payments/sandbox/pay":                                                     PUBLIC,
    "POST /payments/sandbox/pay":                                                    PUBLIC,
    "GET /payments/vnpay/ipn":                                                       PUBLIC,
    "GET /permissions/action/<string:name>/<pk>":                                    NOBODY,
    "POST /permissions/action/<string:name>/<pk>":                                   NOBODY,
    "POST /permissions/action_post":                                                 NOBODY,
    "GET /permissions/add":                                                          NOBODY,
    "POST /permissions/add":                                                         NOBODY,
    "GET /permissions/delete/<pk>":                                                  NOBODY,
    "POST /permissions/delete/<pk>":                                                 NOBODY,
    "GET /permissions/download/<string:filename>":                                   NOBODY,
    "GET /permissions/edit/<pk>":                                                    NOBODY,
    "POST /permissions/edit/<pk>":                                                   NOBODY,
    "GET /permissions/list/":                                                        ADMIN,
    "GET /permissions/show/<pk>":                                                    NOBODY,
    "GET /permissionviews/action/<string:name>/<pk>":                                NOBODY,
    "POST /permissionviews/action/<string:name>/<pk>":                               NOBODY,
    "POST /permissionviews/action_post":                                             NOBODY,
    "GET /permissionviews/add":                                                      NOBODY,
    "POST /permissionviews/add":                                                     NOBODY,
    "GET /permissionviews/delete/<pk>":                                              NOBODY,
    "POST /permissionviews/delete/<pk>":                                             NOBODY,
    "GET /permissionviews/download/<string:filename>":                               NOBODY,
    "GET /permissionviews/edit/<pk>":                                                NOBODY,
    "POST /permissionviews/edit/<pk>":                                               NOBODY,
    "GET /permissionviews/list/":                                                    ADMIN,
    "GET /permissionviews/show/<pk>":                                                NOBODY,
    "GET /proceduremodelview/action/<string:name>/<pk>":                             NOBODY,
    "POST /proceduremodelview/action/<string:name>/<pk>":                            NOBODY,
    "POST /proceduremodelview/action_post":                                          NOBODY,
    "GET /proceduremodelview/add":                                                   ADMIN,
    "POST /proceduremodelview/add":                                                  ADMIN,
    "GET /proceduremodelview/delete/<pk>":                                           ADMIN,
    "POST /proceduremodelview/delete/<pk>":                                          ADMIN,
    "GET /proceduremodelview/download/<string:filename>":                            NOBODY,
    "GET /proceduremodelview/edit/<pk>":                                             ADMIN,
    "POST /proceduremodelview/edit/<pk>":                                            ADMIN,
    "GET /proceduremodelview/list/":                                                 STAFF,
    "GET /proceduremodelview/show/<pk>":                                             STAFF,
    "GET /procedures":                                                               PUBLIC,
    "GET /procedures/<code>":                                                        PUBLIC,
    "GET /procedures/<code>/declaration.pdf":                                        PUBLIC,
    "GET /procedures/<code>/templates/<int:template_id>":                            PUBLIC,
    "GET /procedureversionmodelview/action/<string:name>/<pk>":                      NOBODY,
    "POST /procedureversionmodelview/action/<string:name>/<pk>":                     NOBODY,
    "POST /procedureversionmodelview/action_post":                                   NOBODY,
    "GET /procedureversionmodelview/add":                                            NOBODY,
    "POST /procedureversionmodelview/add":                                           NOBODY,
    "GET /procedureversionmodelview/delete/<pk>":                                    NOBODY,
    "POST /procedureversionmodelview/delete/<pk>":                                   NOBODY,
    "GET /procedureversionmodelview/download/<string:filename>":                     NOBODY,
    "GET /procedureversionmodelview/edit/<pk>":                                      NOBODY,
    "POST /procedureversionmodelview/edit/<pk>":                                     NOBODY,
    "GET /procedureversionmodelview/list/":                                          STAFF,
    "GET /procedureversionmodelview/show/<pk>":                                      STAFF,
    "GET /public/digests":                                                           PUBLIC,
    "GET /public/dossiers":                                                          PUBLIC,
    "GET /public/stats":                                                             PUBLIC,
    "GET /public/stats.csv":                                                         PUBLIC,
    "GET /public/stats.json":                                                        PUBLIC,
    "GET /public/verify/<public_id>":                                                PUBLIC,
    "POST /public/verify/<public_id>":                                               PUBLIC,
    "GET /resetmypassword/form":                                                     SIGNED_IN,
    "POST /resetmypassword/form":                                                    SIGNED_IN,
    "GET /resetpassword/form":                                                       ADMIN,
    "POST /resetpassword/form":                                                      ADMIN,
    "GET /roles/action/<string:name>/<pk>":                                          NOBODY,
    "POST /roles/action/<string:name>/<pk>":                                         NOBODY,
    "POST /roles/action_post":                                                       NOBODY,
    "GET /roles/add":                                                                ADMIN,
    "POST /roles/add":                                                               ADMIN,
    "GET /roles/delete/<pk>":                                                        ADMIN,
    "POST /roles/delete/<pk>":                                                       ADMIN,
    "GET /roles/download/<string:filename>":                                         NOBODY,
    "GET /roles/edit/<pk>":                                                          ADMIN,
    "POST /roles/edit/<pk>":                                                         ADMIN,
    "GET /roles/list/":                                                              ADMIN,
    "GET /roles/show/<pk>":                                                          ADMIN,
    "GET /static/<path:filename>":                                                   PUBLIC,
    "GET /static/appbuilder/<path:filename>":                                        PUBLIC,
    "GET /swagger/<version>":                                                        ADMIN,
    "GET /unitmodelview/action/<string:name>/<pk>":                                  NOBODY,
    "POST /unitmodelview/action/<string:name>/<pk>":                                 NOBODY,
    "POST /unitmodelview/action_post":                                               NOBODY,
    "GET /unitmodelview/add":                                                        ADMIN,
    "POST /unitmodelview/add":                                                       ADMIN,
    "GET /unitmodelview/delete/<pk>":                                                ADMIN,
    "POST /unitmodelview/delete/<pk>":                                               ADMIN,
    "GET /unitmodelview/download/<string:filename>":                                 NOBODY,
    "GET /unitmodelview/edit/<pk>":                                                  ADMIN,
    "POST /unitmodelview/edit/<pk>":                                                 ADMIN,
    "GET /unitmodelview/list/":                                                      STAFF,
    "GET /unitmodelview/show/<pk>":                                                  STAFF,
    "GET /unitproceduremodelview/action/<string:name>/<pk>":                         NOBODY,
    "POST /unitproceduremodelview/action/<string:name>/<pk>":                        NOBODY,
    "POST /unitproceduremodelview/action_post":                                      NOBODY,
    "GET /unitproceduremodelview/add":                                               ADMIN,
    "POST /unitproceduremodelview/add":                                              ADMIN,
    "GET /unitproceduremodelview/delete/<pk>":                                       ADMIN,
    "POST /unitproceduremodelview/delete/<pk>":                                      ADMIN,
    "GET /unitproceduremodelview/download/<string:filename>":                        NOBODY,
    "GET /unitproceduremodelview/edit/<pk>":                                         ADMIN,
    "POST /unitproceduremodelview/edit/<pk>":                                        ADMIN,
    "GET /unitproceduremodelview/list/":                                             STAFF,
    "GET /unitproceduremodelview/show/<pk>":                                         STAFF,
    "GET /userinfoeditview/form":                                                    SIGNED_IN,
    "POST /userinfoeditview/form":                                                   SIGNED_IN,
    "GET /users/action/<string:name>/<pk>":                                          NOBODY,
    "POST /users/action/<string:name>/<pk>":                                         NOBODY,
    "POST /users/action_post":                                                       NOBODY,
    "GET /users/add":                                                                ADMIN,
    "POST /users/add":                                                               ADMIN,
    "GET /users/delete/<pk>":                                                        ADMIN,
    "POST /users/delete/<pk>":                                                       ADMIN,
    "GET /users/download/<string:filename>":                                         NOBODY,
    "GET /users/edit/<pk>":                                                          ADMIN,
    "POST /users/edit/<pk>":                                                         ADMIN,
    "GET /users/list/":                                                              ADMIN,
    "GET /users/show/<pk>":                                                          ADMIN,
    "GET /users/userinfo/":                                                          SIGNED_IN,
    "GET /userunitmodelview/action/<string:name>/<pk>":                              NOBODY,
    "POST /userunitmodelview/action/<string:name>/<pk>":                             NOBODY,
    "POST /userunitmodelview/action_post":                                           NOBODY,
    "GET /userunitmodelview/add":                                                    ADMIN,
    "POST /userunitmodelview/add":                                                   ADMIN,
    "GET /userunitmodelview/delete/<pk>":                                            ADMIN,
    "POST /userunitmodelview/delete/<pk>":                                           ADMIN,
    "GET /userunitmodelview/download/<string:filename>":                             NOBODY,
    "GET /userunitmodelview/edit/<pk>":                                              ADMIN,
    "POST /userunitmodelview/edit/<pk>":                                             ADMIN,
    "GET /userunitmodelview/list/":                                                  ADMIN,
    "GET /userunitmodelview/show/<pk>":                                              ADMIN,
    "GET /viewmenus/action/<string:name>/<pk>":                                      NOBODY,
    "POST /viewmenus/action/<string:name>/<pk>":                                     NOBODY,
    "POST /viewmenus/action_post":                                                   NOBODY,
    "GET /viewmenus/add":                                                            NOBODY,
    "POST /viewmenus/add":                                                           NOBODY,
    "GET /viewmenus/delete/<pk>":                                                    NOBODY,
    "POST /viewmenus/delete/<pk>":                                                   NOBODY,
    "GET /viewmenus/download/<string:filename>":                                     NOBODY,
    "GET /viewmenus/edit/<pk>":                                                      NOBODY,
    "POST /viewmenus/edit/<pk>":                                                     NOBODY,
    "GET /viewmenus/list/":                                                          ADMIN,
    "GET /viewmenus/show/<pk>":                                                      NOBODY,
}


def _rules(app) -> dict[str, object]:
    found = {}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found[f"{method} {rule.rule}"] = rule
    return found


def _changes_something(key: str) -> bool:
    method, rule = key.split(" ", 1)
    return method != "GET" or "/delete/" in rule or "/action/" in rule


@pytest.fixture(scope="module")
def _module_world(app):
    """Built once for the module (the per-test cleaning is switched off below), then removed."""
    from app.extensions import db
    from tests.conftest import empty_tables

    world = build(app, app.test_client())
    doors = Doors(app)
    yield world, doors, view_models(app), _rules(app)
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database():
    """The matrix shares one world across its cases; _module_world cleans up at the end."""
    yield


def test_every_rule_of_the_application_is_in_the_matrix(app):
    rules = set(_rules(app))
    assert sorted(rules - set(EXPECTED)) == [], "rules missing from EXPECTED"
    assert sorted(set(EXPECTED) - rules) == [], "EXPECTED lists rules the application no longer has"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_access(_module_world, key):
    world, doors, models, rules = _module_world
    if key not in rules:
        pytest.skip("not a rule of this application (the test above fails)")
    expected = EXPECTED[key]
    method, _ = key.split(" ", 1)
    rule = rules[key]
    url = fill(rule.rule, rule.endpoint, world, models)
    seen = []
    for role, allowed in zip(ROLES, expected, strict=True):
        if key in SESSION_ENDING or (allowed == "Y" and _changes_something(key)):
            seen.append(allowed)
            continue
        response = doors.send(role, method, url, BODIES.get(rule.rule))
        result = outcome(response)
        assert result != "5xx", f"{role}: {method} {url} answered {response.status_code}"
        seen.append("Y" if result == "ok" else ".")
    assert "".join(seen) == expected, (
        f"{method} {url}: expected {expected}, got {''.join(seen)} (roles: {', '.join(ROLES)})")


def test_no_door_mixes_one_dossier_with_anothers_files(_module_world):
    """IDOR: citizen B and officer Y, through their own dossier's code, ask for A's attachment,
    result and receipt by id; every door answers 404 and sends nothing of A's."""
    from tests.payments.conftest import create, marital_data, pay_at_bank, start

    world, doors, _models, _rules = _module_world
    client = doors.app.test_client()
    headers = doors.tokens["citizen2"]
    own = create(client, headers, {"unit": world.other_unit, "marital": world.procedure},
                 "marital", marital_data(), "office")
    pay_at_bank(client, start(client, headers, own).get_json()["redirect_url"])
    # Submitted, so officer Y sees it: the only thing wrong in the requests below is the id.
    assert client.post(f"/api/v1/dossiers/{own}/submit", headers=headers).status_code == 200
    assert doors.send("officer2", "GET", f"/backoffice/dossiers/{own}").status_code == 200
    attempts = {
        "citizen2": [
            f"/api/v1/dossiers/{own}/attachments/{world.attachment_id}",
            f"/my/dossiers/{own}/files/{world.attachment_id}",
            f"/my/dossiers/{own}/results/{world.result_id}",
            f"/documents/{own}/results/{world.result_id}",
            f"/payments/{world.txn_ref}/receipt.pdf",
        ],
        "officer2": [
            f"/backoffice/dossiers/{own}/attachments/{world.attachment_id}",
            f"/documents/{own}/results/{world.result_id}",
            f"/api/v1/dossiers/{own}/attachments/{world.attachment_id}",
            f"/payments/{world.txn_ref}/receipt.pdf",
        ],
    }
    for role, urls in attempts.items():
        for url in urls:
            response = doors.send(role, "GET", url)
            assert response.status_code == 404, (role, url, response.status_code)
            assert b"%PDF" not in response.data, (role, url)
    deleted = doors.send("citizen2", "DELETE", f"/api/v1/dossiers/{own}/attachments/{world.attachment_id}")
    # B's own dossier is submitted, so nothing of it may be removed (409); A's file stays.
    assert deleted.status_code in (404, 409)
    still = doors.send("citizen", "GET", f"/api/v1/dossiers/{world.code}/attachments/{world.attachment_id}")
    assert still.status_code == 200 and still.data.startswith(b"%PDF")

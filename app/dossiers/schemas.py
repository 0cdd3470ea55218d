"""The JSON API's request bodies, declared once: checked by the form engine (jsonschema) and
published in the OpenAPI document. Rules about the values (a real mobile number, a method the
procedure offers…) are the domain's and live in the operations."""
from __future__ import annotations

from typing import Any

from flask import request

from app.core.api import invalid, json_body
from app.dossiers.lifecycle import ACTIONS, TABLE
from app.dossiers.status import DELIVERY_METHODS
from app.forms.engine import validate

CODE = {"type": "string", "minLength": 1, "maxLength": 50}
CONTACT = {"type": "object", "additionalProperties": False, "properties": {
    "phone": {"type": "string", "maxLength": 20, "description": "Vietnamese mobile number"},
    "email": {"type": "string", "maxLength": 255, "description": "email address"}}}
ADDRESS = {"type": "object", "additionalProperties": False, "properties": {
    "province": {"type": "string", "maxLength": 20}, "commune": {"type": "string", "maxLength": 20},
    "street": {"type": "string", "maxLength": 255}, "text": {"type": "string", "maxLength": 500}}}
DELIVERY = {"type": "object", "additionalProperties": False, "properties": {
    "method": {"type": "string", "maxLength": 20,
               "description": "one of %s, as the procedure offers" % ", ".join(DELIVERY_METHODS)},
    "address": {"oneOf": [ADDRESS, {"type": "string", "maxLength": 500}]}}}
APPLICANT = {"type": "object", "additionalProperties": False,
             "required": ["name", "id_number", "phone"], "properties": {
                 "name": {"type": "string", "maxLength": 255, "description": "full name"},
                 "id_number": {"type": "string", "maxLength": 30,
                               "description": "personal identification number, or passport"},
                 "phone": {"type": "string", "maxLength": 20, "description": "mobile number"},
                 "email": {"type": "string", "maxLength": 255, "description": "optional"}}}
DATA = {"type": "object", "description": "the declaration, as the procedure's form schema says"}
FEE = {"type": "object", "additionalProperties": False, "properties": {
    "exemption": {"type": "string", "maxLength": 30,
                  "description": "fee exemption claimed: poor_household, disability or "
                                 "meritorious_family (attach fee_exemption_proof); \"\" for none"}}}
VERSION = {"type": "integer", "minimum": 1, "maximum": 2_147_483_647,
           "description": "the dossier's version you read; a stale one answers 409"}


def _action_properties() -> dict[str, Any]:
    """Every parameter some action accepts (each action's own schema is checked by the table)."""
    properties: dict[str, Any] = {}
    for transition in TABLE:
        properties.update(transition.params["properties"])
    return properties


SCHEMAS: dict[str, dict[str, Any]] = {
    "DossierCreate": {
        "type": "object", "additionalProperties": False, "required": ["procedure", "unit"],
        "properties": {"procedure": CODE, "unit": {"type": "string", "minLength": 1, "maxLength": 20},
                       "data": DATA, "contact": CONTACT, "delivery": DELIVERY, "fee": FEE}},
    "DossierUpdate": {
        "type": "object", "additionalProperties": False,
        "properties": {"data": DATA, "contact": CONTACT, "delivery": DELIVERY, "fee": FEE,
                       "version": VERSION}},
    "DossierAction": {
        "type": "object", "required": ["action"],
        "description": "the action and its parameters; each action accepts only its own",
        "properties": {"action": {"type": "string", "enum": list(ACTIONS)}, "version": VERSION,
                       **_action_properties()}},
    "DossierActionUpload": {
        "type": "object", "required": ["action"],
        "description": "an action sent as multipart/form-data, to attach a file it takes "
                       "(approve: result_file, the signed result document as PDF)",
        "properties": {"action": {"type": "string", "enum": list(ACTIONS)},
                       "version": {"type": "string", "pattern": "^[0-9]{1,10}$",
                                   "description": VERSION["description"]},
                       "note": {"type": "string", "maxLength": 5000},
                       "result_text": {"type": "string", "maxLength": 5000},
                       "result_file": {"type": "string", "format": "binary"}}},
    "CounterDossierCreate": {
        "type": "object", "additionalProperties": False,
        "required": ["procedure", "unit", "applicant"],
        "properties": {"procedure": CODE, "unit": {"type": "string", "minLength": 1, "maxLength": 20},
                       "applicant": APPLICANT, "data": DATA, "delivery": DELIVERY}},
    "CounterClaim": {
        "type": "object", "additionalProperties": False, "required": ["code", "phone"],
        "properties": {"code": CODE, "phone": {"type": "string", "maxLength": 20,
                                               "description": "the phone given at the counter"}}},
    "AttachmentUpload": {
        "type": "object", "required": ["document_key", "file"],
        "properties": {"document_key": {"type": "string", "maxLength": 100},
                       "file": {"type": "string", "format": "binary"},
                       "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$",
                                  "description": "optional: the file's SHA-256, checked on arrival"}}},
}


def parsed_action() -> dict[str, Any]:
    """The action's inputs from a JSON body, or from a multipart form with its file."""
    if request.mimetype != "multipart/form-data":
        return parsed_body("DossierAction")
    data: dict[str, Any] = {k: request.form.get(k) for k in request.form}
    errors = validate(SCHEMAS["DossierActionUpload"], data)
    if errors:
        raise invalid([e.to_dict() for e in errors])
    if data.get("version"):
        data["version"] = int(data["version"])
    upload = request.files.get("result_file")
    if upload is not None and upload.filename:
        data["result_file"] = upload
    return data


def parsed_body(name: str) -> dict[str, Any]:
    """The request's JSON body checked against SCHEMAS[name]; a 422 lists every field error."""
    data = json_body()
    errors = validate(SCHEMAS[name], data)
    if errors:
        raise invalid([e.to_dict() for e in errors])
    return data

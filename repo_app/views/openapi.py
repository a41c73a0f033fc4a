"""The OpenAPI 3 description of ``/api/v1``: requests *and* responses (CONTRACT.md shapes).

The vocabularies come from ``repo_app.vocab``, so the document lists the
same allowed values the API checks.
"""

from __future__ import annotations

from typing import Any

from repo_app.services.searching import SORTS, VOCABULARY_FILTERS
from repo_app.vocab import DegreeLevel, WorkType

ERRORS = {400: "Invalid input (the message lists the allowed values)",
          401: "Token missing, invalid or expired", 403: "Not allowed", 404: "Not found"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(summary: str, ok: str, result: str, *, secured: bool = False,
               body: dict | None = None, params: list | None = None,
               errors: tuple[int, ...] = (404,)) -> dict[str, Any]:
    responses: dict[str, Any] = {ok: {"description": "OK", "content": _json(_ref(result))}}
    for status in errors:
        responses[str(status)] = {"description": ERRORS[status], "content": _json(_ref("Error"))}
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if secured:
        op["security"] = [{"bearerAuth": []}]
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if params:
        op["parameters"] = params
    return op


def _strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def _schemas(list_fields: list[str]) -> dict[str, Any]:
    string, integer = {"type": "string"}, {"type": "integer"}
    nullable_int = {"type": "integer", "nullable": True}
    work_fields = {
        "title": string, "type": {"type": "string", "enum": [t.value for t in WorkType]},
        "year": nullable_int, "language": {"type": "string", "pattern": "^[a-z]{2}$"},
        "degree_level": {"type": "string", "enum": [d.value for d in DegreeLevel]},
        **{name: _strings() for name in list_fields},
        **{name: string for name in ("alt_title", "abstract", "title_en", "abstract_en",
                                     "degree_name", "discipline", "grantor")},
    }
    hit = {"type": "object", "properties": {
        "id": {"oneOf": [integer, string]}, "title": string, "creators": _strings(),
        "year": nullable_int, "faculty": string, "type": string, "access": string,
        "snippet": string, "url": string,
        # "local" for this library's works, else the partner library's name (never "local").
        "source": string}}
    extraction = {"type": "object", "properties": {
        "status": string, "message": string, "pages_done": nullable_int, "pages": nullable_int}}
    file = {"type": "object", "required": ["id", "name", "access", "extraction"], "properties": {
        "id": integer, "name": string, "size": integer, "pages": nullable_int, "access": string,
        "extraction": extraction, "download_url": {"type": "string", "format": "uri"}}}
    work = {"type": "object", "required": ["id", "title", "access", "files"], "properties": {
        **work_fields, "id": integer, "identifier": {"type": "string", "nullable": True},
        "url": string, "status": string, "faculty": string, "access": string,
        "embargo_until": {"type": "string", "format": "date", "nullable": True},
        "files": {"type": "array", "items": _ref("File")}}}
    page = {"total": integer, "page": integer, "hits": {"type": "array", "items": _ref("Hit")}}
    facet = {"type": "array", "items": {"type": "object", "properties": {
        "value": string, "count": integer}}}
    # What the deposit form asks besides the description (services.deposit_terms).
    terms = {
        "accept_licence": {"type": "boolean", "enum": [True],
                           "description": "The depositor accepts the deposit licence (GET "
                                          "/licence); required to deposit."},
        "embargo_requested_until": {"type": "string", "format": "date", "nullable": True,
                                    "description": "An embargo asked for, to the reviewer: "
                                                   "a day after today, at most 5 years on."},
        "embargo_request_reason": {"type": "string",
                                   "description": "Why; required with a day."}}
    deposited = {"type": "object", "allOf": [_ref("Work")], "properties": {
        "licence_accepted_at": {"type": "string", "format": "date-time", "nullable": True},
        "embargo_request": {"type": "object", "nullable": True, "properties": {
            "until": {"type": "string", "format": "date"}, "reason": string}}}}
    return {
        "WorkFields": {"type": "object", "required": ["title", "type", "creators"],
                       "properties": work_fields, "additionalProperties": False},
        "DepositRequest": {"type": "object",
                           "required": ["title", "type", "creators", "accept_licence"],
                           "properties": {**work_fields, **terms},
                           "additionalProperties": False},
        "DepositTerms": {"type": "object", "properties": terms, "additionalProperties": False},
        "DepositedWork": deposited,
        "Licence": {"type": "object", "required": ["licence", "language"],
                    "properties": {"licence": string, "language": string}},
        "Work": work, "File": file, "Hit": hit,
        "SearchResults": {"type": "object", "required": ["total", "page", "hits", "facets"],
                          "properties": {**page, "facets": {
                              "type": "object", "additionalProperties": facet}}},
        "WorkList": {"type": "object", "required": ["total", "page", "hits", "per_page"],
                     "properties": {**page, "per_page": integer}},
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": string, "message": string, "field": string}}}},
    }


def _search_filters() -> list[dict[str, Any]]:
    """The filters with a fixed vocabulary: any other value is a 400 listing these."""
    filters = [{"name": name, "in": "query", "schema": {"type": "array", "items": {
        "type": "string", "enum": [v.value for v in vocabulary if v.value]}}}
        for name, vocabulary in VOCABULARY_FILTERS.items()]
    return [*filters, {"name": "sort", "in": "query",
                       "schema": {"type": "string", "enum": list(SORTS)}}]


def openapi_document(server: str, list_fields: list[str]) -> dict[str, Any]:
    """The whole document; ``server`` is the API's base URL."""
    work_id = {"name": "id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
    page = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1},
            "description": "A page past the end answers an empty list of hits."}
    deposit = _operation("Create a draft work, accepting the deposit licence", "201",
                         "DepositedWork", secured=True, errors=(400, 401, 403),
                         body=_json(_ref("DepositRequest")))
    submit = _operation("Submit a draft for review (the licence accepted now or before)", "200",
                        "DepositedWork", secured=True, params=[work_id],
                        errors=(400, 401, 403, 404), body=_json(_ref("DepositTerms")))
    submit["requestBody"]["required"] = False
    upload = _operation("Attach a PDF to a draft", "201", "Work", secured=True, params=[work_id],
                        errors=(400, 401, 403, 404), body={"multipart/form-data": {"schema": {
                            "type": "object", "required": ["file"],
                            "properties": {"file": {"type": "string", "format": "binary"}}}}})
    return {
        "openapi": "3.0.3",
        "info": {"title": "Institutional repository API", "version": "1"},
        "servers": [{"url": server}],
        "paths": {
            "/search": {"get": _operation("Search works", "200", "SearchResults", errors=(400,),
                                          params=[{"name": "q", "in": "query",
                                                   "schema": {"type": "string"}}, page,
                                                  *_search_filters()])},
            "/works": {"get": _operation("Visible works, newest first", "200", "WorkList",
                                         errors=(400,), params=[page]),
                       "post": deposit},
            "/works/{id}": {"get": _operation(
                "A work's metadata and files (a token's own drafts too)", "200", "Work",
                params=[work_id], errors=(401, 404))},
            "/works/{id}/files": {"post": upload},
            "/works/{id}/submit": {"post": submit},
            "/licence": {"get": _operation("The deposit licence, in the request's language",
                                           "200", "Licence", errors=())},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(list_fields),
        },
    }

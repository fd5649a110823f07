"""Every error of the API as ``{"detail": "<one clear sentence>"}``: validation errors said
in words (which parameter, what was wrong, what was given), HTTP errors, a database that is
locked or gone (503, no SQL and no URL in the sentence)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .api_models import DOCUMENT_MODELS, NO_NUL, NOT_BLANK
from .store import StoreUnavailable


def install_error_handlers(app: FastAPI) -> None:
    """Every error becomes ``{"detail": "<sentence>"}``: validation, HTTP, database, the rest."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _relevant(exc.errors(), exc.body)
        message = "; ".join(_describe(e) for e in errors[:5]) or "invalid request"
        if (hint := _text_html_problem(exc.body)) and any(e.get("loc", ("",))[0] == "body" for e in errors):
            message = hint
        raw = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
        return JSONResponse({"detail": message, "errors": raw}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(StoreUnavailable)
    async def unavailable(_request: Request, exc: StoreUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(DBAPIError)
    async def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        """A locked, gone or broken database: say so (no SQL, no URL), status 503."""
        orig = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        return JSONResponse({"detail": f"database unavailable: {orig}"}, status_code=503)


def _relevant(errors, body) -> list:
    """Of a union body's errors, those of the branch the client meant.

    The body may be an object or a list; an object with ``html`` (and no
    ``text``) means an HTML document, any other object a text document.
    """
    def meant(err) -> bool:
        loc = err.get("loc", ())
        if len(loc) < 2 or loc[0] != "body":
            return True
        item = body
        for part in loc[1:]:
            if isinstance(part, int):
                item = item[part] if isinstance(item, list) and 0 <= part < len(item) else None
            elif part.startswith("list["):
                if not isinstance(body, list):
                    return False
            elif part in DOCUMENT_MODELS:
                if isinstance(item, list):
                    return False
                is_html = isinstance(item, dict) and "html" in item and "text" not in item
                if part != ("HtmlDocumentIn" if is_html else "TextDocumentIn"):
                    return False
        return True

    return [e for e in errors if meant(e)] or list(errors)


def _text_html_problem(body) -> str | None:
    """``give exactly one of 'text' or 'html'`` when an object has both or neither."""
    items = body if isinstance(body, list) else [body]
    for i, item in enumerate(items):
        if isinstance(item, dict) and ("text" in item) == ("html" in item):
            where = f"body[{i}]" if isinstance(body, list) else "body"
            return f"{where}: give exactly one of 'text' or 'html'"
    return None


def _describe(error: dict) -> str:
    """``query parameter 'limit': Input should be less than or equal to 1000 (got '5000')``."""
    loc = [str(x) for x in error.get("loc", ())]
    kinds = {"query": "query parameter", "path": "path parameter", "header": "header"}
    if loc and loc[0] in kinds and len(loc) > 1:
        where = f"{kinds[loc[0]]} '{loc[1]}'"
    elif loc and loc[0] == "body":
        where = "body" + "".join(f"[{x}]" if x.isdigit() else f".{x}" for x in loc[1:]
                                 if x.isdigit() or x.isidentifier() and x not in DOCUMENT_MODELS)
    else:
        where = ".".join(loc) or "request"
    msg = error.get("msg", "invalid")
    if error.get("type") == "string_pattern_mismatch":  # our patterns, said in words
        pattern = (error.get("ctx") or {}).get("pattern")
        msg = {NOT_BLANK: "must contain a non-space character and no NUL character",
               NO_NUL: "must not contain a NUL character"}.get(pattern, msg)
    got = error.get("input")
    if loc and loc[0] in ("query", "path") and isinstance(got, (str, int, float)):
        shown = str(got) if len(str(got)) <= 40 else str(got)[:40] + "…"
        msg += f" (got {shown!r})"
    return f"{where}: {msg}"

"""The user dictionary over HTTP: list it, and add an actor, place or veto with one click.

``GET /api/dictionary`` lists the server's user dictionary (:mod:`eventscribe.userdict`, the
directory of ``serve --dictionary DIR``); ``POST /api/dictionary/actors|places|vetoes`` adds
one entry to it, with the write token every write needs. The next extraction (a POST of
documents, the next ingest of a process using the same directory) reads it: the web page's
"add to dictionary" beside a corrected name is what teaches the coder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from . import userdict
from .model import Sector

__all__ = ["build_router"]

ISO3 = r"^[A-Za-z]{3}$"
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\t\r\n]*\S[^\t\r\n]*$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActorIn(_In):
    name: Name
    country: Annotated[str | None, Field(pattern=ISO3, description="ISO 3166 alpha-3")] = None
    sector: Sector
    aliases: Annotated[list[Name], Field(max_length=50)] = []
    kind: Literal["group", "org", "igo", "person"] | None = None
    override: bool = Field(False, description="Replace what the packaged dictionaries say of these names")
    note: Annotated[str, Field(max_length=500, pattern=r"^[^\t\r\n]*$")] = ""


class PlaceIn(_In):
    name: Name
    country: Annotated[str, Field(pattern=ISO3, description="ISO 3166 alpha-3")]
    admin1: Name | None = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    aliases: Annotated[list[Name], Field(max_length=50)] = []
    override: bool = Field(False, description="The only reading of the name")
    note: Annotated[str, Field(max_length=500, pattern=r"^[^\t\r\n]*$")] = ""


class VetoIn(_In):
    kind: Literal["trigger", "place", "actor"]
    text: Name
    note: Annotated[str, Field(max_length=500, pattern=r"^[^\t\r\n]*$")] = ""


class Added(BaseModel):
    dictionary: Literal["actors", "places", "vetoes"]
    entry: dict
    directory: str


class Listing(BaseModel):
    directory: str | None
    actors: list[dict]
    places: list[dict]
    vetoes: list[dict]


_PROBLEMS = {
    401: {"description": "Missing or wrong token"},
    403: {"description": "The server is read-only, or the token may not write"},
    409: {"description": "The server has no user dictionary directory (serve --dictionary DIR)"},
    422: {"description": "An entry the dictionary cannot hold (unknown country, a tab in a name ...)"},
}


def build_router(write_access: Callable) -> APIRouter:
    """The dictionary endpoints; ``write_access`` is the app's write check (its token, or a
    named reviewer's), the same dependency as every other write."""
    router = APIRouter(tags=["dictionary"])
    # who: the reviewer's name from the app's write check (a default, not an annotation, so
    # that FastAPI reads it inside this factory)

    @router.get("/api/dictionary", response_model=Listing, summary="List the user dictionary")
    def list_dictionary() -> Listing:
        """Every actor, place and veto of the server's user dictionary (empty without one)."""
        try:
            value = userdict.current()
        except userdict.DictionaryError as exc:
            raise HTTPException(409, f"the user dictionary cannot be read: {exc}") from None
        directory = userdict.directory()
        return Listing(directory=str(directory) if directory else None, **userdict.as_rows(value))

    @router.post("/api/dictionary/actors", status_code=201, response_model=Added, responses=_PROBLEMS,
                 summary="Add an actor to the user dictionary")
    def add_actor(entry: Annotated[ActorIn, Body()], who: str | None = Depends(write_access)) -> Added:
        """An actor name (and other names) with its country and sector, e.g. a corrected actor."""
        return _add("actors", entry, who)

    @router.post("/api/dictionary/places", status_code=201, response_model=Added, responses=_PROBLEMS,
                 summary="Add a place to the user dictionary")
    def add_place(entry: Annotated[PlaceIn, Body()], who: str | None = Depends(write_access)) -> Added:
        """A place name with its country (and admin1 region, coordinates), e.g. a corrected place."""
        return _add("places", entry, who)

    @router.post("/api/dictionary/vetoes", status_code=201, response_model=Added, responses=_PROBLEMS,
                 summary="Veto a word: never a trigger, a place or an actor")
    def add_veto(entry: Annotated[VetoIn, Body()], who: str | None = Depends(write_access)) -> Added:
        """A word or phrase that must never report an event, be a place, or be an actor."""
        return _add("vetoes", entry, who)

    return router


def _add(kind: str, entry: BaseModel, who: str | None = None) -> Added:
    root = userdict.directory()
    if root is None:
        raise HTTPException(409, "this server has no user dictionary: start it with --dictionary DIR "
                                 f"(or ${userdict.ENV})")
    values = entry.model_dump()
    if not values.get("note") and isinstance(who, str):  # who added it, and when
        values["note"] = f"added by {who} on {dt.date.today().isoformat()}"
    if values.get("country"):
        values["country"] = values["country"].upper()
    try:
        written = userdict.append_entry(root, kind, values)
        userdict.current()  # this process's next extraction uses it at once
    except userdict.DictionaryError as exc:
        raise HTTPException(422, str(exc)) from None
    return Added(dictionary=kind, entry=written, directory=str(root))

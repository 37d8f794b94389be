"""The explorer: a JSON API under /api (OpenAPI at /api/openapi.json) and server-rendered,
right-to-left Arabic pages, over a database opened read-only. Every asset is served from here;
no page loads anything from another host."""

# No "from __future__ import annotations": FastAPI reads these annotations at run time,
# and Db is local to create_app.
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParameter
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from khabar.storage import queries
from khabar.storage.database import Database, open_database
from khabar.storage.queries import MAX_PAGE, MAX_QUERY_LENGTH, QueryError
from khabar.web import render

ACTS = ("deny", "accuse", "warn", "demand", "assert", "announce", "say", "question", "other")
ACT_NAMES = {"say": "قال", "assert": "أكّد", "deny": "نفى", "warn": "حذّر", "accuse": "اتّهم", "demand": "طالب",
             "announce": "أعلن", "question": "تساءل", "other": "أخرى"}
RELATION_NAMES = {"reported_by": "نقلته", "told_to": "قاله لـ", "statement_to": "في تصريحات لـ",
                  "according_to": "بحسب", "published_in": "نُشر في"}

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, 1 to {MAX_PAGE}")]
# SQLite integers stop at 2**63 - 1: larger numbers are refused as invalid, not a server error
MAX_NUMBER = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_NUMBER, description="how many results to skip")]
StoryId = Annotated[int, PathParameter(ge=0, le=MAX_NUMBER)]
EntityId = Annotated[int, PathParameter(ge=0, le=MAX_NUMBER)]
Text = Annotated[str | None, Query(max_length=200)]


def _or_404(value, message: str):
    """The value, or a 404 with ``message`` (JSON under /api, a page elsewhere)."""
    if value is None:
        raise HTTPException(404, message)
    return value


def create_app(db_path: str | Path) -> FastAPI:
    db_path = str(db_path)
    open_database(db_path, read_only=True).close()  # fail now, with a clear message, if it is not a khabar database
    app = FastAPI(title="khabar", description="Who said what, through whom: Arabic news statements.",
                  version="1", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    package = resources.files("khabar.web")
    templates = Jinja2Templates(directory=str(package.joinpath("templates")))
    templates.env.globals.update(act_names=ACT_NAMES, relation_names=RELATION_NAMES, acts=ACTS, render=render)
    app.mount("/static", StaticFiles(directory=str(package.joinpath("static"))), name="static")

    overview_cache: dict = {}

    def overview(db: Database) -> dict:
        """Stats, outlets and top speakers change only when the data does: computed once per version."""
        version = db.data_version()
        if overview_cache.get("version") != version:
            overview_cache.update(version=version, stats=queries.stats(db), outlets=queries.outlets(db),
                                  speakers=queries.speakers(db, limit=10))
        return overview_cache

    def database():
        db = open_database(db_path, read_only=True)
        try:
            yield db
        finally:
            db.close()

    Db = Annotated[Database, Depends(database)]

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=400)

    # The API's description as a page of the explorer: Swagger UI would load from a CDN, and
    # nothing here may leave the machine.
    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_api(request: Request):
        return templates.TemplateResponse(request, "api.html", {"spec": app.openapi()})

    # ----- JSON API -------------------------------------------------------------------------
    @app.get("/api/stats", tags=["corpus"])
    def api_stats(db: Db):
        return queries.stats(db)

    @app.get("/api/search", tags=["documents"])
    def api_search(db: Db, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH)], outlet: Text = None,
                   since: Text = None, until: Text = None, language: Text = None, limit: Limit = 20,
                   offset: Offset = 0, collapse: bool = True):
        """Documents matching ``q``; with ``collapse`` (default) one hit per duplicate group,
        ``more_like_this`` counting its other matching members."""
        return queries.search(db, q, limit=limit, offset=offset, outlet=outlet, since=since, until=until,
                              language=language, collapse=collapse)

    @app.get("/api/documents/{doc_id:path}", tags=["documents"])
    def api_document(db: Db, doc_id: str):
        return _or_404(queries.document(db, doc_id), f"no document {doc_id!r}")

    @app.get("/api/speakers", tags=["speakers"])
    def api_speakers(db: Db, name: Text = None, limit: Limit = 20, offset: Offset = 0, unresolved: bool = False):
        """People and organisations by statements; with ``unresolved``, the speakers that are no
        entity (anonymous sources, documents, roles)."""
        return {"limit": limit, "offset": offset,
                "results": queries.speakers(db, name=name, limit=limit, offset=offset, unresolved=unresolved)}

    @app.get("/api/entities", tags=["entities"])
    def api_entities(db: Db, name: Text = None, type: Annotated[str | None, Query(pattern="^(PERS|ORG|LOC|MISC)$")] = None,
                     limit: Limit = 20, offset: Offset = 0):
        return {"limit": limit, "offset": offset,
                "results": queries.entities(db, name=name, type_=type, limit=limit, offset=offset)}

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def api_entity(db: Db, entity_id: EntityId):
        return _or_404(queries.entity(db, entity_id), f"no entity {entity_id}")

    @app.get("/api/statements", tags=["statements"])
    def api_statements(db: Db, speaker: Text = None, act: Annotated[str | None, Query(pattern="^[a-z]+$")] = None,
                       relay: Text = None, outlet: Text = None, since: Text = None, until: Text = None,
                       limit: Limit = 50, offset: Offset = 0):
        if act is not None and act not in ACTS:
            raise QueryError(f"unknown act {act!r}; one of {', '.join(ACTS)}")
        rows = queries.statements(db, speaker=speaker, act=act, relay=relay, outlet=outlet, since=since, until=until,
                                  limit=limit, offset=offset)
        return {"limit": limit, "offset": offset, "results": rows}

    @app.get("/api/stories", tags=["stories"])
    def api_stories(db: Db, limit: Limit = 20, offset: Offset = 0, min_outlets: Annotated[int, Query(ge=1)] = 1):
        return {"limit": limit, "offset": offset,
                "results": queries.stories(db, limit=limit, offset=offset, min_outlets=min_outlets)}

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(db: Db, story_id: StoryId):
        return _or_404(queries.story(db, story_id), f"no story {story_id}")

    @app.get("/api/outlets", tags=["corpus"])
    def api_outlets(db: Db):
        return queries.outlets(db)

    @app.get("/api/places", tags=["places"])
    def api_places(db: Db, limit: Limit = 200, offset: Offset = 0):
        return {"limit": limit, "offset": offset, "results": queries.places(db, limit=limit, offset=offset)}

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"message": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        """Invalid parameters answer like every other error: ``{"error": ...}`` (with the
        details), or the error page."""
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"invalid request: {problems}", "detail": jsonable_encoder(exc.errors())},
                                status_code=422)
        return templates.TemplateResponse(request, "error.html", {"message": f"طلب غير صالح: {problems}"},
                                          status_code=422)

    # ----- pages ----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, db: Db, q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
                    outlet: Text = None, offset: Offset = 0):
        result = None
        if q.strip():
            result = queries.search(db, q, limit=20, offset=offset, outlet=outlet or None)
            for hit in result["results"]:
                text = db.connection.execute("SELECT text FROM documents WHERE id = ?", (hit["id"],)).fetchone()[0]
                hit["snippet_html"] = render.snippet(text, q)
        known = overview(db)
        return templates.TemplateResponse(request, "search.html", {
            "q": q, "result": result, "stats": known["stats"], "outlets": known["outlets"],
            "outlet": outlet, "speakers": known["speakers"]})

    @app.get("/document/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def page_document(request: Request, db: Db, doc_id: str):
        record = _or_404(queries.document(db, doc_id), f"لا توجد وثيقة {doc_id}")
        raw = record["raw"]
        paragraphs = [render.highlight_paragraph(raw, b["start"], b["end"], record.get("entities", []),
                                                 record.get("quotes", []))
                      for b in record["blocks"] if b["role"] == "body"]
        entities = {}
        for entity in record.get("entities", []):
            entities.setdefault((entity["type"], entity["canonical"], record["corpus_entities"].get(entity["entity"])),
                                []).append(entity["text"])
        return templates.TemplateResponse(request, "document.html", {
            "doc": record, "paragraphs": paragraphs, "entities": entities})

    @app.get("/speaker/{name:path}", response_class=HTMLResponse, include_in_schema=False)  # names may hold "/"
    def page_speaker(request: Request, db: Db, name: str):
        """A speaker by name: its entity's page when the name is an entity's, else the statements
        of the speakers that resolve to no entity (anonymous sources, documents, roles)."""
        named = queries.speakers(db, name=name, limit=1)
        if named:
            return RedirectResponse(f"/entity/{named[0]['entity']}", status_code=303)
        found = (queries.speakers(db, name=name, limit=1, exact=True, unresolved=True)
                 or queries.speakers(db, name=name, limit=1, unresolved=True))
        if not found:
            raise HTTPException(404, f"لا يوجد متحدث باسم {name}")
        speaker = found[0]
        statements = queries.statements(db, speaker=speaker["speaker"], limit=MAX_PAGE, exact=True)
        return templates.TemplateResponse(request, "speaker.html", {
            "speaker": speaker, "by_act": _by_act(statements), "timeline": render.timeline_svg(speaker["timeline"])})

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_entity(request: Request, db: Db, entity_id: EntityId):
        found = _or_404(queries.entity(db, entity_id), f"لا يوجد كيان {entity_id}")
        return templates.TemplateResponse(request, "entity.html", {
            "entity": found, "by_act": _by_act(found["statements"]), "timeline": render.timeline_svg(found["timeline"]),
            "network": render.neighbourhood_svg(found["name"], found["speaks_about"], found["spoken_about_by"])})

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(request: Request, db: Db, story_id: StoryId):
        found = _or_404(queries.story(db, story_id), f"لا توجد قصة {story_id}")
        return templates.TemplateResponse(request, "story.html", {"story": found})

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def page_stories(request: Request, db: Db, offset: Offset = 0):
        return templates.TemplateResponse(request, "stories.html", {
            "stories": queries.stories(db, limit=50, offset=offset, min_outlets=2), "offset": offset})

    @app.get("/places", response_class=HTMLResponse, include_in_schema=False)
    def page_places(request: Request, db: Db):
        places = queries.places(db, limit=MAX_PAGE)
        return templates.TemplateResponse(request, "places.html", {"places": places, "map": render.map_svg(places)})

    return app


def _by_act(statements: list[dict]) -> list[tuple[str, list[dict]]]:
    by_act: dict[str, list[dict]] = {}
    for statement in statements:
        by_act.setdefault(statement["act"], []).append(statement)
    return [(act, by_act[act]) for act in ACTS if act in by_act]


def serve(db_path: str, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="info")

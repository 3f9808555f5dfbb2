"""Answers a request for a document: picks the format (extension or Accept), serialises or renders it, sets the headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

from rdfpub.web.formats import FORMATS, choose, content_type, empty_document, serialize
from rdfpub.web.jsonld import compact
from rdfpub.web.negotiation import negotiate

_NAMES = {"ttl": "Turtle", "html": "HTML", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
MAX_PAGE = 10_000
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def page_number(request: Request) -> int | None:
    """The ?page= asked for (1 when none), or None when it is not a whole number from 1 to MAX_PAGE."""
    raw = request.query_params.get("page", "1")
    # ASCII digits only: str.isdigit() also accepts "²" and "１", which int() then refuses or reads.
    return int(raw) if _PAGE_NUMBER.fullmatch(raw) and 1 <= int(raw) <= MAX_PAGE else None


def raw_path(request: Request) -> str | None:
    """The request path as sent (still percent-encoded, as the stored IRIs are), or None if not ASCII."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    try:
        return raw.decode("ascii").split("?", 1)[0]
    except UnicodeDecodeError:
        return None


@dataclass
class Document:
    """One document to send: `path` is its URL path without extension; `html` renders its page."""

    path: str
    triples: list[ox.Triple]
    html: Callable[[dict], tuple[str, dict]]  # page context -> (template, view context)
    next_page: str | None = None
    extra_links: list[str] = field(default_factory=list)
    topic: str | None = None  # the IRI the document is about: first, and not embedded, in JSON-LD


class NotAcceptable(Exception):
    pass


def pick(request: Request, extension: str | None) -> str:
    """The extension named in the URL, or the one negotiated from Accept (RFC 9110, section 12.5.1)."""
    if extension:
        return extension
    chosen = choose(request.headers.get("accept"))
    if chosen is None:
        raise NotAcceptable
    return chosen


def alternates(path: str) -> list[dict]:
    return [{"href": f"{path}.{ext}", "type": media, "name": _NAMES[ext]} for ext, (media, _) in FORMATS.items()]


def _headers(document_path: str, extension: str, negotiated: bool, next_page: str | None,
             extra_links: list[str]) -> dict[str, str]:
    links = [f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"' for a in alternates(document_path)
             if not a["href"].endswith("." + extension)]
    links.append('</.well-known/void>; rel="describedby"; type="text/turtle"')
    if next_page:
        links.append(f'<{next_page}>; rel="next"')
    headers = {"Vary": "Accept", "Link": ", ".join(links + extra_links)}
    if negotiated:
        headers["Content-Location"] = f"{document_path}.{extension}"
    return headers


def not_acceptable() -> PlainTextResponse:
    offered = ", ".join(media for media, _ in FORMATS.values())
    return PlainTextResponse(f"none of the accepted types is available; available: {offered}\n", status_code=406,
                             headers={"Vary": "Accept"})


def respond(request: Request, document: Document, extension: str | None) -> Response:
    """The document in the format the URL names, else in the one the client prefers."""
    try:
        chosen = pick(request, extension)
    except NotAcceptable:
        return not_acceptable()
    headers = _headers(document.path, chosen, extension is None, document.next_page, document.extra_links)
    state = request.app.state
    if chosen == "html":
        template, view = document.html({
            "site_title": state.settings.title, "license": state.settings.license,
            "alternates": [a for a in alternates(document.path) if a["name"] != "HTML"],
            "next_page": document.next_page})
        return state.templates.TemplateResponse(request, template, view, headers=headers)
    if chosen == "jsonld":
        # Compacted with the context this server publishes, named by the URL the client used.
        body = compact(document.triples, state.settings.base_iri, f"{request.base_url}context.jsonld",
                       document.topic)
    else:
        body = serialize(document.triples, chosen, state.prefixes)
    return Response(body, media_type=content_type(chosen), headers=headers)


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error on a page for people (HTML for a browser, plain text for other clients)."""
    headers = {"Vary": "Accept", **(headers or {})}
    if negotiate(request.headers.get("accept"), ["text/plain", "text/html"]) != "text/html":
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    state = request.app.state
    title = {400: "Not a valid request", 404: "Not found", 503: "Not available just now"}.get(status, "Error")
    return state.templates.TemplateResponse(request, "not_found.html", {
        "site_title": state.settings.title, "license": state.settings.license, "alternates": [],
        "page_title": title, "message": message}, status_code=status, headers=headers)


def not_found(request: Request, extension: str | None, message: str) -> Response:
    """A 404 in the format that was asked for: a page for people, an empty graph that parses for machines."""
    try:
        chosen = pick(request, extension)
    except NotAcceptable:
        chosen = "ttl"
    headers = {"Vary": "Accept"}
    if chosen == "html":
        state = request.app.state
        return state.templates.TemplateResponse(request, "not_found.html", {
            "site_title": state.settings.title, "license": state.settings.license, "alternates": [],
            "page_title": "Not found", "message": message}, status_code=404, headers=headers)
    return Response(empty_document(chosen, message), status_code=404, media_type=content_type(chosen),
                    headers=headers)

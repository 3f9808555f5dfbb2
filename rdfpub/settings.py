"""Configuration: one frozen Settings, from defaults, then RDFPUB_* environment variables, then flags."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

ENV_PREFIX = "RDFPUB_"
# Every IRI the dataset mints starts with the base: it must be an absolute http(s) IRI (RFC 3987)
# with none of the characters an IRI may not hold.
_BASE_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`/?#]+(/[^\s<>\"{}|\\^`?#]*)?")
NLM_TERMS = "https://www.nlm.nih.gov/databases/download/terms_and_conditions.html"


@dataclass(frozen=True)
class Settings:
    """Everything a deployment can set. Each field can come from the environment variable
    RDFPUB_<FIELD NAME IN UPPER CASE>, so a deployment needs no flags."""

    store: Path | str = Path("rdfpub-store")  # a directory, or a remote store's http(s):// query URL
    base_iri: str = "http://localhost:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    license: str = NLM_TERMS
    title: str = "rdfpub: PubMed articles as Linked Data"
    query_timeout: int = 30
    max_result_rows: int = 100_000
    max_response_bytes: int = 100_000_000
    query_workers: int = 8
    query_memory: int = 3072  # megabytes the query workers may hold together
    page_timeout: int = 10  # seconds for a page, /resolve, the dataset description or a dump to be ready
    read_timeout: int = 20  # seconds a client has to send a whole request
    max_connections: int = 1024
    store_update: str = ""
    store_graphs: str = ""
    store_user: str = ""
    store_password: str = ""
    access_log: int = 1

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, overridden by the environment, overridden by non-None `overrides` (flags)."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for field in fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is not None and raw != "":
                values[field.name] = _convert(field.name, raw, field.type)
        values.update({name: value for name, value in overrides.items() if value is not None})
        settings = replace(cls(), **values)
        settings = replace(settings, base_iri=settings.base_iri.rstrip("/"), store=store_location(settings.store))
        if not 1 <= settings.port <= 65535:
            raise ValueError(f"port {settings.port} is not a TCP port: use 1 to 65535")
        if not _BASE_IRI.fullmatch(settings.base_iri):
            raise ValueError(f"base IRI {settings.base_iri!r} is not an absolute http(s) IRI without spaces, "
                             "e.g. https://data.example.org")
        return settings


def is_remote(store: Path | str) -> bool:
    return isinstance(store, str) and store.startswith(("http://", "https://"))


def store_location(value: Path | str) -> Path | str:
    """A remote store's URL stays a string (a Path would fold its '//'); anything else is a directory."""
    text = str(value)
    return text if text.startswith(("http://", "https://")) else Path(text)


def _convert(name: str, raw: str, annotation: str):
    if annotation == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a whole number") from None
    if annotation.startswith("Path"):
        return store_location(raw)
    return raw

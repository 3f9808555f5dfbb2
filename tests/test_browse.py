"""Ways into the dataset for people, through the app on every kind of store: word search, newest-first
lists of all articles and of a journal's, a person's and a MeSH term's, and journals and terms by size."""

import time

import pytest

from conftest import BASE
from test_linked_data import ARTICLE, BROWSER, ORCID_AGENT, _Page

JSON = {"Accept": "application/json"}


def _ready(app, url, **kwargs):
    """The answer once the index is there: a front over a store server builds its own first (503)."""
    deadline = time.monotonic() + 120
    while True:
        response = app.get(url, **kwargs)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        assert response.headers["retry-after"]
        time.sleep(0.5)


def _articles(app, url):
    response = _ready(app, url, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()


def test_title_words_find_the_article_best_first(app):
    found = _articles(app, "/search?q=adaptive capacity asthmatic")
    assert found["total"] == 1 and found["results"][0]["iri"] == ARTICLE
    assert found["results"][0]["href"] == ARTICLE[len(BASE):]
    page = _Page()
    page.feed(_ready(app, "/search?q=Asthmatic", headers={"Accept": BROWSER}).text)
    assert ARTICLE[len(BASE):] in page.links
    assert _articles(app, "/search?q=nosuchwordanywhere")["total"] == 0


def test_all_articles_newest_first_a_page_at_a_time(app, linked_store):
    first = _articles(app, "/articles")
    assert first["total"] == linked_store.graph_count()
    dates = [row["date"] for row in first["results"]]
    assert dates == sorted(dates, reverse=True)
    response = _ready(app, "/articles", headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    assert _ready(app, "/articles?page=0").status_code == 400


def test_a_journals_articles(app):
    journal_page = _Page()
    journal_page.feed(app.get("/doc/pubmed/31687927.html").text)
    journal = next(link for link in journal_page.links if link.startswith("/journal/"))
    listing = _Page()
    listing.feed(_ready(app, journal, headers={"Accept": BROWSER}).text)
    assert f"/articles{journal}" in listing.links  # the journal's page leads to its articles
    found = _articles(app, f"/articles{journal}")
    assert ARTICLE in [row["iri"] for row in found["results"]] and found["title"].endswith("newest first")
    assert _ready(app, "/articles/journal/nlm/0000000").status_code == 404
    assert _ready(app, "/articles/vocab").status_code == 404


def test_a_persons_articles(app):
    path = ORCID_AGENT[len(BASE):]
    page = _Page()
    page.feed(_ready(app, path, headers={"Accept": BROWSER}).text)
    assert f"/articles{path}" in page.links
    assert [row["iri"] for row in _articles(app, f"/articles{path}")["results"]] == [ARTICLE]


def test_a_mesh_terms_articles(app, linked_store):
    (row,) = linked_store.query("SELECT ?m (COUNT(?a) AS ?n) WHERE { ?a <http://purl.org/spar/fabio/hasSubjectTerm> ?m } "
                                "GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 1")
    ui = row["m"].value.rsplit("/", 1)[1]
    found = _articles(app, f"/mesh/{ui}")
    assert found["total"] == int(row["n"].value)
    assert _ready(app, "/mesh/D999999999").status_code == 404
    assert _ready(app, "/mesh/not-a-ui").status_code == 404


def test_journals_and_terms_by_size(app):
    journals = _articles(app, "/journals")
    counts = [row["count"] for row in journals["results"]]
    assert journals["total"] >= 2 and counts == sorted(counts, reverse=True)
    assert all(row["href"].startswith("/journal/") and row["title"] for row in journals["results"])
    subjects = _articles(app, "/subjects")
    assert subjects["total"] > 5 and all(row["href"].startswith("/mesh/") for row in subjects["results"])

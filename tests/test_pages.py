"""What the HTML pages show a reader: affiliations numbered as a paper numbers them, a work the dataset only
mentions said to be one, journals never named by a bare IRI, the dataset description as tables, and the
small things every page needs (a favicon, a 404 that offers nothing it does not have)."""

import re

import pyoxigraph as ox

from rdfpub.iris import Iris
from rdfpub.web.pages import Index

from conftest import BASE
from test_linked_data import ARTICLE, BROWSER, SEED, _Page


def _html(app, path):
    response = app.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    return response.text


def test_affiliations_are_numbered_by_affiliation_not_by_author(app):
    html = _html(app, "/doc/pubmed/31687927")
    affiliations = re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="affiliations".*?</ol>', html, re.S).group(0))
    marks = [[int(n) for n in sup.split(",")] for sup in re.findall(r'<sup title="affiliation">([0-9,]+)</sup>', html)]
    assert len(affiliations) == len(set(affiliations)) >= 2
    assert sorted({n for numbers in marks for n in numbers}) == list(range(1, len(affiliations) + 1))
    assert len(marks) > len(affiliations)  # authors share affiliations: the numbers repeat, as on a paper


def test_a_work_the_dataset_only_mentions_says_so(app, linked_store):
    rows = linked_store.query("SELECT ?w WHERE { ?a <http://purl.org/spar/cito/cites> ?w FILTER NOT EXISTS { "
                              "GRAPH ?g { ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?w } } } ORDER BY ?w LIMIT 1")
    (cited,) = [row["w"].value for row in rows]
    stub = _html(app, cited[len(BASE):])
    assert 'id="not-a-record"' in stub and "holds no record of this work" in stub
    assert 'id="not-a-record"' not in _html(app, SEED[len(BASE):])
    assert 'id="not-a-record"' not in _html(app, ARTICLE[len(BASE):])


def test_a_journal_without_a_name_in_the_document_is_named_by_its_key():
    iris = Iris(BASE)
    index = Index([], iris, {})
    assert index.label(f"{BASE}/journal/nlm/7502536") == "Journal NLM 7502536"
    assert index.label(f"{BASE}/journal/issn/1234-5679") == "Journal ISSN 1234-5679"
    assert index.label(f"{BASE}/journal/abbrev/J_Clin_Invest") == "J Clin Invest"
    named = Index([ox.Triple(ox.NamedNode(f"{BASE}/journal/nlm/1"), ox.NamedNode("http://purl.org/dc/terms/title"),
                             ox.Literal("The Journal"))], iris, {})
    assert named.label(f"{BASE}/journal/nlm/1") == "The Journal"


def test_every_article_page_names_its_journal(app, linked_store):
    rows = linked_store.query("SELECT ?a WHERE { GRAPH ?g { ?g <http://xmlns.com/foaf/0.1/primaryTopic> ?a . "
                              "?a <http://purl.org/vocab/frbr/core#partOf> ?c } }")
    for article in sorted(row["a"].value for row in rows):
        cite = re.search(r"<cite>(.*?)</cite>", _html(app, article[len(BASE):]))
        assert cite and not re.fullmatch(r"[a-z]+:\S*|/\S*", cite.group(1)), article


def test_the_dataset_description_page_is_tables(app):
    html = _html(app, "/.well-known/void")
    assert "_:" not in html
    page = _Page()
    page.feed(html)
    for name in ("distributions", "linksets", "classes", "properties", "figures"):
        assert f'id="{name}"' in html
    downloads = re.search(r'<table id="distributions">.*?</table>', html, re.S).group(0)
    assert len(re.findall(r"<code>[0-9a-f]{64}</code>", downloads)) == 6
    assert {"/dump.ttl", "/dump.nt.gz", "/dump.nq"} <= set(page.links)
    assert "/sparql" in page.links


def test_not_found_offers_no_empty_list_of_formats(app):
    response = app.get("/pubmed/99999999", headers={"Accept": BROWSER})
    assert response.status_code == 404
    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "This page as" not in text and "as ." not in text


def test_favicon_and_style_sheet(app):
    icon = app.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    css = app.get("/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for path in ("/", "/doc/pubmed/31687927", "/sparql", "/pubmed/99999999"):
        html = app.get(path, headers={"Accept": BROWSER}).text
        assert '<link rel="icon" href="/favicon.ico">' in html and "<style" not in html, path

"""Dereferencing through the app: 303 from things to negotiated documents, extension URLs, 404s, pages, /resolve."""

from html.parser import HTMLParser

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, VOID

from rdfpub.vocab import CITO, DATACITE, FABIO, PRO
from rdfpub.web import describe
from rdfpub.web.formats import choose

from conftest import BASE, jsonld_graph

SEED = f"{BASE}/pubmed/30445512"
ARTICLE = f"{BASE}/pubmed/31687927"  # eLife, with ORCID authors, affiliations and references
ORCID_AGENT = f"{BASE}/agent/orcid/0000-0002-4146-9687"
CITING = {"36620687", "34893785", "39041263", "33904154", "34403718"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def _turtle(app, url: str) -> Graph:
    response = app.get(url, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format="turtle")


@pytest.mark.parametrize("accept, expected", [
    (BROWSER, "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("*/*", "ttl"),
    (None, "ttl"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/rdf+xml, text/rdf+xml, text/xml;q=0.1, application/xhtml+xml;q=0.1, text/n3, text/turtle, "
     "application/ld+json, */*;q=0.1", "rdf"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("image/png", None),
])
def test_accept_table(accept, expected):
    assert choose(accept) == expected


def test_article_iri_303_then_turtle(app):
    response = app.get("/pubmed/30445512", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/doc/pubmed/30445512"
    document = app.get(response.headers["location"], headers={"Accept": "text/turtle"})
    assert document.headers["content-type"].startswith("text/turtle")
    assert "Accept" in document.headers["vary"]
    assert document.headers["content-location"] == "/doc/pubmed/30445512.ttl"
    assert '</doc/pubmed/30445512.jsonld>; rel="alternate"' in document.headers["link"]
    graph = Graph().parse(data=document.content, format="turtle")
    assert str(graph.value(URIRef(SEED), DCTERMS.title)).startswith("Glutamatergic Neurotransmission")
    doc = URIRef(f"{BASE}/doc/pubmed/30445512")
    assert (doc, VOID.inDataset, URIRef(f"{BASE}/dataset")) in graph
    assert graph.value(doc, DCTERMS.license) is not None


def test_browser_gets_html(app):
    response = app.get("/pubmed/30445512", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-location"] == "/doc/pubmed/30445512.html"
    assert "Glutamatergic Neurotransmission" in response.text


@pytest.mark.parametrize("extension, media, rdflib_format", [
    ("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"), ("rdf", "application/rdf+xml", "xml")])
def test_extension_urls_name_one_format(app, extension, media, rdflib_format):
    response = app.get(f"/doc/pubmed/31687927.{extension}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "content-location" not in response.headers
    graph = jsonld_graph(app, response.content) if extension == "jsonld" else \
        Graph().parse(data=response.content, format=rdflib_format)
    article = URIRef(ARTICLE)
    assert (article, RDF.type, FABIO.Expression) in graph
    roles = list(graph.objects(article, PRO.isDocumentContextFor))
    assert len(roles) == 8  # owned roles, with their agents and affiliations
    assert all(graph.value(graph.value(role, PRO.isHeldBy), FOAF.name) for role in roles)
    assert all(graph.value(identifier, DATACITE.usesIdentifierScheme)
               for identifier in graph.objects(article, DATACITE.hasIdentifier))


def test_html_extension(app):
    response = app.get("/doc/pubmed/31687927.html", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("accept, media", [("text/turtle", "text/turtle"), (BROWSER, "text/html"),
                                           ("application/ld+json", "application/ld+json")])
def test_unknown_pmid_is_404_in_the_asked_format(app, accept, media):
    response = app.get("/pubmed/99999999", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 404 and response.headers["content-type"].startswith(media)
    if media == "text/turtle":
        assert len(Graph().parse(data=response.content, format="turtle")) == 0
    assert app.get("/doc/pubmed/99999999.nt").status_code == 404


@pytest.mark.parametrize("path", ["/doc/pubmed/1--->.rdf", "/doc/pubmed/1---.rdf", "/pubmed/9--->-", "/doc/x-->-"])
def test_a_404_in_rdf_xml_parses_whatever_dashes_the_path_holds(app, path):
    response = app.get(path, headers={"Accept": "application/rdf+xml"}, follow_redirects=False)
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=response.content, format="xml")) == 0
    # The comment still names the path (as sent, percent-encoded), its dashes spaced apart.
    comment = response.text.split("<!--", 1)[1].rsplit("-->", 1)[0]
    assert path.replace(">", "%3E") in comment.replace(" ", "")


@pytest.mark.parametrize("path", ["/pubmed/1%3E%20%3Chttp://x", "/doc/pubmed/../../etc/passwd",
                                  "/doc/sparql", "/doc/pubmed/", "/pubmed/1?page=x"])
def test_hostile_paths_are_not_found(app, path):
    assert app.get(path, follow_redirects=False).status_code in (303, 404)
    assert app.get("/doc/pubmed/30445512?page=0").status_code == 400


def test_cited_by_are_incoming_links(app):
    graph = _turtle(app, "/doc/pubmed/30445512")
    citing = set(graph.subjects(CITO.cites, URIRef(SEED)))
    assert {str(graph.value(a, FABIO.hasPubMedId)) for a in citing} == CITING
    assert all(graph.value(a, DCTERMS.title) for a in citing)  # named, so a page can show them


def test_incoming_links_are_paged(app, monkeypatch):
    monkeypatch.setattr(describe, "PAGE_SIZE", 2)
    seen, url = set(), "/doc/pubmed/30445512.ttl"
    while url:
        response = app.get(url)
        graph = Graph().parse(data=response.content, format="turtle")
        page = set(graph.subjects(CITO.cites, URIRef(SEED)))
        assert len(page) <= 2 and not page & seen
        seen |= page
        links = [part for part in response.headers["link"].split(", ") if 'rel="next"' in part]
        url = links[0].split(">")[0].lstrip("<") if links else None
    assert {str(a).rsplit("/", 1)[1] for a in seen} == CITING


def test_every_kind_of_minted_iri_dereferences(app, linked_store):
    # One IRI of each class the store holds (roles, agents, identifiers, journals, volumes, issues,
    # references, manifestations, grants, abstract sections, record graphs, DOI-named works, ...).
    rows = linked_store.query(f"""SELECT ?class (MIN(STR(?x)) AS ?iri) WHERE {{ ?x a ?class
        FILTER(STRSTARTS(STR(?x), "{BASE}/")) }} GROUP BY ?class""")
    iris = {row["iri"].value for row in rows}
    assert len(iris) >= 12
    assert any("/author/" in iri for iri in iris) and any("/graph/" in iri for iri in iris)
    for iri in sorted(iris):
        response = app.get(iri[len(BASE):], headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, iri
        graph = Graph().parse(data=response.content, format="nt")
        assert (URIRef(iri), None, None) in graph, iri
        assert app.get(iri[len(BASE):], headers={"Accept": BROWSER}).status_code == 200, iri


def test_agent_document_lists_the_roles_it_holds(app):
    graph = _turtle(app, "/agent/orcid/0000-0002-4146-9687")
    agent = URIRef(ORCID_AGENT)
    assert (agent, OWL.sameAs, URIRef("https://orcid.org/0000-0002-4146-9687")) in graph
    role = URIRef(f"{ARTICLE}/author/1")
    assert (role, PRO.isHeldBy, agent) in graph
    assert (URIRef(ARTICLE), PRO.isDocumentContextFor, role) in graph


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.alternates, self.scripts, self.text, self._script = [], [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append(attrs.get("type"))
        self._script = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        (self.scripts if self._script else self.text).append(data)

    def handle_endtag(self, tag):
        self._script = False


def test_article_page(app):
    import json

    response = app.get("/doc/pubmed/31687927.html")
    page = _Page()
    page.feed(response.text)
    text = " ".join(" ".join(page.text).split())
    assert "Loss of adaptive capacity in asthmatic patients" in text
    assert text.index("Anirban Sinha") < text.index("René Lutter") < text.index("Edgar Delgado Eckert")
    assert "University of Basel" in text and "eLife" in text
    assert "https://orcid.org/0000-0002-4146-9687" in page.links
    assert "https://doi.org/10.7554/elife.47969" in page.links
    assert "https://pubmed.ncbi.nlm.nih.gov/31687927/" in page.links
    assert "/agent/orcid/0000-0002-4146-9687" in page.links
    assert {"text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"} <= set(page.alternates)
    assert "/.well-known/void" in page.links
    schema = json.loads(page.scripts[0])
    assert schema["@type"] == "ScholarlyArticle" and schema["author"][0]["name"] == "Anirban Sinha"


def test_mesh_terms_link_to_their_page_here(app, linked_store):
    (row,) = linked_store.query(f"SELECT ?a WHERE {{ ?a <{FABIO.hasSubjectTerm}> ?m }} ORDER BY ?a LIMIT 1")
    path = row["a"].value[len(BASE):]
    page = _Page()
    page.feed(app.get(path, headers={"Accept": "text/html"}).text)
    mesh = [link for link in page.links if link.startswith("/mesh/D")]
    assert mesh and not any(link.startswith("http://id.nlm.nih.gov/mesh/") for link in page.links)
    # The term's page here links to NLM's.
    term = _Page()
    term.feed(app.get(mesh[0], headers={"Accept": BROWSER}).text)
    assert f"http://id.nlm.nih.gov{mesh[0]}" in term.links


def test_seed_page_shows_cited_by_and_similar(app):
    page = _Page()
    page.feed(app.get("/doc/pubmed/30445512.html").text)
    assert {f"/pubmed/{pmid}" for pmid in CITING} <= set(page.links)
    assert "/pubmed/24388038" in page.links  # a similar article


@pytest.mark.parametrize("query, expected", [
    ("pmid=30445512", SEED), ("pmcid=PMC6368372", SEED), ("doi=10.1093/IJNP/PYY094", SEED),
    ("doi=10.7554/eLife.47969", ARTICLE), ("id=30445512", SEED), ("id=+PMC6368372+", SEED),
    ("id=https://doi.org/10.7554/eLife.47969", ARTICLE), ("id=doi:10.1093/ijnp/pyy094", SEED)])
def test_resolve(app, query, expected):
    response = app.get(f"/resolve?{query}", follow_redirects=False)
    # A path on this server: the browser stays on the host and port it reached, whatever the base IRI.
    assert response.status_code == 303 and response.headers["location"] == expected[len(BASE):]


@pytest.mark.parametrize("query, status", [("pmid=99999999", 404), ("pmid=abc", 400), ("", 400),
                                           ("pmid=1&doi=10.1/x", 400), ("id=nothing", 400), ("id=99999999", 404)])
def test_resolve_refuses(app, query, status):
    response = app.get(f"/resolve?{query}", follow_redirects=False, headers={"Accept": BROWSER})
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    assert app.get(f"/resolve?{query}").headers["content-type"].startswith("text/plain")


def test_vocabulary(app, linked_settings):
    response = app.get("/vocab", headers={"Accept": "text/turtle"})
    assert response.headers["content-location"] == "/vocab.ttl"
    graph = Graph().parse(data=response.content, format="turtle")
    term = URIRef(f"{BASE}/vocab#hasSimilarArticle")
    assert (term, RDFS.subPropertyOf, DCTERMS.relation) in graph
    assert (term, RDFS.isDefinedBy, URIRef(f"{BASE}/vocab")) in graph
    assert (URIRef(f"{BASE}/vocab"), RDF.type, OWL.Ontology) in graph
    page = app.get("/vocab", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html") and 'id="hasSimilarArticle"' in page.text
    assert app.get("/vocab.nt").headers["content-type"].startswith("application/n-triples")


@pytest.mark.parametrize("page", ["%C2%B2", "%EF%BC%91", "-1", "0", "abc", "9999999999"])
def test_odd_page_numbers_are_a_client_error(client, page):
    response = client.get(f"/doc/pubmed/30445512?page={page}", headers={"Accept": "text/turtle"})
    assert 400 <= response.status_code < 500


def test_json_ld_is_compacted_with_the_published_context(app):
    """A web developer reads title, doi and authors (with their names) without knowing an IRI, and the
    document still holds exactly the triples of the Turtle one."""
    import json

    from rdflib.compare import isomorphic

    response = app.get("/doc/pubmed/31687927.jsonld")
    document = json.loads(response.content)
    assert document["@context"] == "http://testserver/context.jsonld"
    article = document["@graph"][0] if "@graph" in document else document
    assert article["id"] == ARTICLE and "fabio:Expression" in article["type"]
    assert article["title"].startswith("Loss of adaptive capacity")
    assert article["doi"] == "10.7554/elife.47969" and article["pmid"] == "31687927"
    authors = sorted(article["authors"], key=lambda role: role["position"])
    assert authors[0]["heldBy"]["name"] == "Anirban Sinha" and len(authors) == 8
    context = app.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    assert context.json()["@context"]["title"] == "dcterms:title"
    turtle = Graph().parse(data=app.get("/doc/pubmed/31687927.ttl").content, format="turtle")
    assert isomorphic(jsonld_graph(app, response.content), turtle)

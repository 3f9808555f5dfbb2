"""Every response says nosniff; every HTML page forbids framing by other sites (Content-Security-Policy)."""

import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    return {name: value for name, value in directives}


@pytest.mark.parametrize("path", ["/", "/doc/pubmed/30445512", "/doc/pubmed/30445512.html", "/doc/pubmed/1",
                                  "/pubmed/1", "/.well-known/void.html", "/vocab.html", "/sparql",
                                  "/sparql?query=ASK%7B%7D"])
def test_html_pages_cannot_be_framed_or_sniffed(client, path):
    response = client.get(path, headers={"Accept": BROWSER}, follow_redirects=False)
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert _policy(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(("path", "accept"), [
    ("/doc/pubmed/30445512", "text/turtle"), ("/doc/pubmed/1.jsonld", None), ("/sparql?query=ASK%7B%7D", None),
    ("/sparql?query=nonsense", None), ("/dump.nt", None), ("/.well-known/void", "text/turtle"),
    ("/resolve?pmid=30445512", None), ("/sparql/assets/sparql.js", None)])
def test_every_other_response_says_nosniff(client, path, accept):
    response = client.get(path, headers={"Accept": accept} if accept else {}, follow_redirects=False)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers


def test_a_page_with_its_own_policy_keeps_it(client):
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert _policy(response)["default-src"] == "'self'"
    assert response.headers.get_list("content-security-policy") == [response.headers["content-security-policy"]]

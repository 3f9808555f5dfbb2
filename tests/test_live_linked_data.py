"""A crawler's and a reader's view of a live `rdfpub serve`: rdflib follows the 303, Chromium renders a page."""

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

from rdfpub.vocab import PRO

from conftest import DATA, SEEDS
from servers import free_port, rdfpub_server

ARTICLE_PATH = "/pubmed/31687927"
TITLE = "Loss of adaptive capacity in asthmatic patients revealed by biomarker fluctuation dynamics"
XML = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server whose base IRI is its own address, so the IRIs it mints dereference for real."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("live-ld")
    env = {"RDFPUB_STORE": str(folder / "store"), "RDFPUB_BASE_IRI": url}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    loaded = subprocess.run([sys.executable, "-m", "rdfpub", "ingest", str(SEEDS), str(XML)], env=clean | env,
                            cwd=folder, capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    with rdfpub_server(env, folder, port) as running:
        yield running


def test_rdflib_follows_the_303_and_loads_the_article(live):
    article = URIRef(live + ARTICLE_PATH)
    graph = Graph().parse(str(article))  # rdflib's own Accept header and format detection
    assert str(graph.value(article, DCTERMS.title)).startswith(TITLE)
    roles = list(graph.objects(article, PRO.isDocumentContextFor))
    assert len(roles) == 8 and all(graph.value(graph.value(r, PRO.isHeldBy), FOAF.name) for r in roles)


def test_curl_like_client_gets_turtle(live):
    request = urllib.request.Request(live + ARTICLE_PATH, headers={"Accept": "*/*"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")
        assert response.url.endswith("/doc" + ARTICLE_PATH)


def test_unknown_iri_is_404(live):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(live + "/pubmed/99999999")
    caught.value.close()  # the error holds the open response
    assert caught.value.code == 404


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_article_page_in_a_headless_browser(live, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run tries to)")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    screenshot = tmp_path / "article.png"
    shot = subprocess.run(flags + [f"--screenshot={screenshot}", "--window-size=1200,2000", live + ARTICLE_PATH],
                          capture_output=True, timeout=120)
    assert screenshot.exists() and screenshot.stat().st_size > 10_000, shot.stderr.decode(errors="replace")
    dom = subprocess.run(flags + ["--dump-dom", live + ARTICLE_PATH], capture_output=True, timeout=120,
                         text=True).stdout
    assert TITLE in dom
    assert dom.index("Anirban Sinha") < dom.index("Edgar Delgado Eckert")
    assert 'href="https://orcid.org/0000-0002-4146-9687"' in dom
    assert 'href="https://doi.org/10.7554/elife.47969"' in dom
    assert 'href="/agent/orcid/0000-0002-4146-9687"' in dom
    assert 'rel="alternate" type="text/turtle"' in dom

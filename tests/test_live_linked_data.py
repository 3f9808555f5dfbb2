"""A crawler's and a reader's view of a live `rdfpub serve`: rdflib follows the 303, Chromium renders a page."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

from conftest import DATA, SEEDS
from rdfpub.vocab import PRO

ARTICLE_PATH = "/pubmed/31687927"
TITLE = "Loss of adaptive capacity in asthmatic patients revealed by biomarker fluctuation dynamics"
XML = DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server whose base IRI is its own address, so the IRIs it mints dereference for real."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("live-ld")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDFPUB_")}
    env.update(RDFPUB_STORE=str(folder / "store"), RDFPUB_PORT=str(port), RDFPUB_BASE_IRI=url)
    loaded = subprocess.run([sys.executable, "-m", "rdfpub", "ingest", str(SEEDS), str(XML)], env=env, cwd=folder,
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "rdfpub", "serve"], env=env, cwd=folder, stdout=log,
                                   stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError("rdfpub serve did not start:\n" + log_path.read_text(errors="replace"))
                time.sleep(0.2)
        yield url
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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

"""A reader's walk through a live `rdfpub serve` in headless Chromium: landing page -> look up a PMID ->
the article -> its journal -> the journal's articles -> an author -> their articles -> a MeSH term -> the
query page, where an example runs in YASGUI and shows rows. No console error, no CSP violation, no request
that leaves the host. The store is built under the default base (http://localhost:8000) and served on
another address without --base-iri, so every step also shows that the pages' links are the server's own."""


import pytest

from browser import Browser, chromium
from conftest import DATA, SEEDS
from servers import served_records

PMID = "31418849"  # Cancer, with ORCID authors and MeSH headings
TITLE = "Videos improve patient understanding of misunderstood chemotherapy terminology."
RECORDS = [SEEDS, DATA / "net-synergy__pubmedparser__data__pubmed21n1001.record-31418849.xml",
           DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    chromium()  # skips, saying why, without a browser
    folder = tmp_path_factory.mktemp("walk")
    with served_records(RECORDS, folder) as url:
        yield url, folder


@pytest.fixture
def browser(site, tmp_path):
    browser = Browser(tmp_path / "profile")
    # Every CSP violation, also those no console message reports, is kept for the test to see.
    browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));")},
        session=True)
    yield browser
    browser.close()


def _check(browser: Browser, url: str, step: str) -> None:
    assert browser.url().startswith(url + "/"), (step, browser.url())
    assert not browser.errors, (step, browser.errors)
    assert not browser.evaluate("window.__violations"), (step, browser.evaluate("window.__violations"))
    away = [request for request in browser.requests if not request.startswith((url + "/", "data:", "about:"))]
    assert not away, (step, away)


def _links(browser: Browser, selector: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll({selector!r})].map(a => a.getAttribute('href'))")


def test_a_reader_walks_from_the_landing_page_to_a_query(site, browser):
    url, _ = site
    browser.goto(url + "/")
    _check(browser, url, "landing page")

    browser.evaluate(f"document.querySelector('#lookup-id').value = '{PMID}'")
    browser.click("#lookup button")
    assert browser.url() == f"{url}/doc/pubmed/{PMID}"
    assert browser.evaluate("document.querySelector('h1').textContent") == TITLE
    _check(browser, url, "article page")

    browser.click("#venue a")
    assert browser.url().startswith(f"{url}/doc/journal/")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Cancer"
    _check(browser, url, "journal page")

    browser.click("#articles a")
    assert browser.url().startswith(f"{url}/articles/journal/")
    assert f"/pubmed/{PMID}" in _links(browser, "ol.hits a")
    _check(browser, url, "the journal's articles")

    browser.click(f"ol.hits a[href='/pubmed/{PMID}']")
    author = _links(browser, "#authors a")[0]
    browser.click("#authors a")
    assert browser.url() == f"{url}/doc{author}"
    _check(browser, url, "an author's page")

    browser.click("#articles a")
    assert f"/pubmed/{PMID}" in _links(browser, "ol.hits a")
    _check(browser, url, "the author's articles")

    browser.click(f"ol.hits a[href='/pubmed/{PMID}']")
    term = _links(browser, "#subjects a[href^='/mesh/D']")[0]
    browser.click("#subjects a[href^='/mesh/D']")
    assert browser.url() == url + term
    assert f"/pubmed/{PMID}" in _links(browser, "ol.hits a")
    assert f"http://id.nlm.nih.gov{term}" in _links(browser, "main a")
    _check(browser, url, "a MeSH term's articles")

    browser.click("nav a[href='/sparql']")
    browser.wait_until("document.querySelector('.yasqe .CodeMirror') !== null")
    titles = browser.evaluate("[...document.querySelectorAll('#examples option')].map(o => o.textContent)")
    example = next(index for index, title in enumerate(titles[1:]) if title.startswith("Articles indexed with"))
    browser.evaluate(f"const s = document.querySelector('#examples'); s.value = '{example}'; "
                     "s.dispatchEvent(new Event('change'))")
    rows = browser.wait_until("document.querySelectorAll('.yasr table tbody tr').length")
    assert rows >= 1
    assert browser.evaluate("document.querySelector('.yasr table tbody').textContent").count("/pubmed/") >= 1
    _check(browser, url, "the query page")

    # An IRI of the dataset in the results opens on this server, though the data names it under its base.
    browser.click(".yasr table tbody a[href*='/pubmed/']")
    assert browser.url().startswith(f"{url}/doc/pubmed/")
    _check(browser, url, "an article from the results")

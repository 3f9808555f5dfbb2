"""Every link of the landing page and of an article page works on a live `rdfpub serve` that runs on a random
port without --base-iri over a store whose records were minted under the default base (so the data names
http://localhost:8000/..., and nothing answers there): each link to this site answers 200 once its
redirects are followed, and every other link leaves for another site, never for the base's address."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from conftest import BASE, DATA, SEEDS
from servers import served_records

RECORDS = [SEEDS, DATA / "tipplerow__pubmed__pubmed-lib__data__test__pubmed_sample.xml"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class _References(HTMLParser):
    """Every URL a page refers to: links, style sheets and icons, scripts, and form targets."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in {"a": ("href",), "link": ("href",), "script": ("src",), "form": ("action",)}.get(tag, ()):
            if attrs.get(name):
                self.found.append(attrs[name])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links")
    with served_records(RECORDS, folder) as url:
        yield url


@pytest.mark.parametrize("page", ["/", "/pubmed/31687927"])
def test_every_link_of_the_page_works(site, page):
    with httpx.Client(follow_redirects=True, timeout=120, headers={"Accept": BROWSER}) as client:
        response = client.get(site + page)
        assert response.status_code == 200
        references = _References()
        references.feed(response.text)
        own, elsewhere = set(), set()
        for reference in references.found:
            target = urljoin(str(response.url), reference)
            parts = urlsplit(target)
            assert parts.scheme in ("http", "https"), reference
            (own if target.startswith(site + "/") else elsewhere).add(target.split("#")[0])
        assert len(own) >= 10
        for target in sorted(own):
            answer = client.get(target, params={"id": "30445512"} if target.endswith("/resolve") else None)
            assert answer.status_code == 200, (target, answer.status_code, answer.text[:300])
            assert str(answer.url).startswith(site + "/"), (target, answer.url)  # redirects stay here
    base = urlsplit(BASE).netloc
    assert not [target for target in elsewhere if urlsplit(target).netloc in (base, urlsplit(site).netloc)]
    if page != "/":
        assert any(urlsplit(target).netloc == "doi.org" for target in elsewhere)

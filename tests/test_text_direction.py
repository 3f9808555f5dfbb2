"""Bidi controls from the data are isolated on every HTML page: they cannot turn the page's text around."""

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

from rdfpub.pipeline import ingest
from rdfpub.store.opening import open_store
from rdfpub.web import create_app
from rdfpub.web.text_direction import FSI, PDI, isolate

from conftest import SEED

RLO, PDF, LRI = "\u202e", "\u202c", "\u2067"


@pytest.mark.parametrize(("value", "expected"), [
    ("plain title", "plain title"),
    (f"evil {RLO}txt.exe", f"{FSI}evil {RLO}txt.exe{PDI}"),
    (f"a {RLO}b{PDF} c", f"{FSI}a {RLO}b{PDF} c{PDI}"),
    (f"{PDI}{RLO}escapes", f"{FSI}{RLO}escapes{PDI}"),  # a PDI that would close an isolate outside
    (f"{LRI}never closed", f"{FSI}{LRI}never closed{PDI}{PDI}"),
    (42, 42), (None, None),
])
def test_isolate(value, expected):
    assert isolate(value) == expected


def test_escaped_text_stays_escaped():
    isolated = isolate(Markup(f"a &amp; {RLO}b"))
    assert isinstance(isolated, Markup) and isolated == Markup(f"{FSI}a &amp; {RLO}b{PDI}")


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.where: list[str] = []
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.where.append(dict(attrs).get("id") or tag)

    def handle_endtag(self, tag):
        self.where.pop()

    def handle_data(self, data):
        if self.where:
            self.texts[self.where[-1]] = self.texts.get(self.where[-1], "") + data


def test_an_override_in_a_title_is_isolated_on_its_page(tmp_path, fresh_settings):
    hostile = tmp_path / "seed.txt"
    text = SEED.read_text(encoding="utf-8")
    hostile.write_text(text.replace("Glutamatergic Neurotransmission:", f"Glutamatergic {RLO}Neurotransmission:"),
                       encoding="utf-8")
    store = open_store(fresh_settings)
    assert ingest.run([hostile], fresh_settings, store, workers=1).published == 1
    with TestClient(create_app(fresh_settings, store)) as client:
        page = client.get("/doc/pubmed/30445512.html")
    parser = _Texts()
    parser.feed(page.text)
    title = parser.texts["title"]
    assert title.startswith(FSI) and title.endswith(PDI) and RLO in title
    assert page.text.count(RLO) == page.text.count(FSI + "Glutamatergic " + RLO)  # every one of them isolated

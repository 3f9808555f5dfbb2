"""The landing page says what the dataset is, how big, and links to the endpoint and the dump."""

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_data(self, data):
        self.text.append(data)


def test_landing_page(client, seeded_store):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Links()
    page.feed(response.text)
    text = " ".join(" ".join(page.text).split())
    assert "sparql" in page.links and "dump.ttl" in page.links
    assert f"{seeded_store.graph_count():,} records" in text
    assert f"{seeded_store.triple_count():,} triples" in text
    example = next(link for link in page.links if link and link.startswith("sparql?query="))
    assert client.get("/" + example).status_code == 200

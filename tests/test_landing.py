"""The landing page says what the dataset is, how big, and links to the endpoint and the dump."""

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.text, self.forms = [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag == "form":
            self.forms[attrs.get("id")] = attrs.get("action")

    def handle_data(self, data):
        self.text.append(data)


def test_landing_page(client, seeded_store):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Links()
    page.feed(response.text)
    text = " ".join(" ".join(page.text).split())
    assert "/sparql" in page.links and "/dump.ttl" in page.links
    assert f"{seeded_store.graph_count():,} records" in text
    assert f"{seeded_store.triple_count():,} triples" in text
    example = next(link for link in page.links if link and link.startswith("/sparql?query="))
    assert client.get(example).status_code == 200
    # Ways in: a look-up by identifier, a word search, and lists to browse.
    assert page.forms == {"lookup": "/resolve", "search": "/search"}
    assert {"/articles", "/journals", "/subjects"} <= set(page.links)
    assert client.get("/resolve", params={"id": "30445512"}, follow_redirects=False).headers["location"] == \
        "/pubmed/30445512"


def test_landing_page_names_the_endpoint_as_the_client_reached_it(client):
    text = client.get("http://data.example.org:8123/").text
    assert "<code>http://data.example.org:8123/sparql</code>" in text
    assert "localhost:8000/sparql" not in text

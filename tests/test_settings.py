"""Settings: defaults, environment, flags, and values refused with a message that says what to do."""

import pytest

from rdfpub.settings import Settings


def test_flags_win_over_the_environment():
    settings = Settings.load(environ={"RDFPUB_PORT": "9000", "RDFPUB_BASE_IRI": "https://a.example/"}, port=9100)
    assert (settings.port, settings.base_iri) == (9100, "https://a.example")


@pytest.mark.parametrize("base", ["not an iri", "http://a b", "ftp://example.org", "https://", "http://x/<y>"])
def test_a_base_iri_must_be_an_http_iri(base):
    with pytest.raises(ValueError, match="base IRI"):
        Settings.load(environ={}, base_iri=base)


@pytest.mark.parametrize("port", [0, 65536, 99999, -1])
def test_a_port_must_be_a_tcp_port(port):
    with pytest.raises(ValueError, match="TCP port"):
        Settings.load(environ={}, port=port)


def test_a_port_that_is_not_a_number():
    with pytest.raises(ValueError, match="RDFPUB_PORT"):
        Settings.load(environ={"RDFPUB_PORT": "eighty"})

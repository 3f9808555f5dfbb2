"""Identifier normalisation, table by table."""

import pytest

from rdfpub.identifiers import (
    issn_check_digit, normalize_doi, normalize_issn, normalize_orcid, normalize_pmcid, normalize_pmid)


@pytest.mark.parametrize(("raw", "expected"), [
    ("30445512", "30445512"),
    (" 30445512 ", "30445512"),
    ("PMID: 30445512", "30445512"),
    ("0030445512", "30445512"),
    ("3O44", None),
    ("", None),
    ("0", None),
    ("12345678901", None),
    ("-5", None),
])
def test_normalize_pmid(raw, expected):
    assert normalize_pmid(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("PMC6368372", "PMC6368372"),
    ("pmc6368372", "PMC6368372"),
    ("6368372", "PMC6368372"),
    ("PMC", None),
    ("PMC63A8372", None),
])
def test_normalize_pmcid(raw, expected):
    assert normalize_pmcid(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("10.1093/ijnp/pyy094", "10.1093/ijnp/pyy094"),
    ("10.24875/RIC.18002501", "10.24875/ric.18002501"),
    ("doi: 10.1016/j.jad.2013.11.014.", "10.1016/j.jad.2013.11.014"),
    ("https://doi.org/10.1038/S41583-021-00540-X", "10.1038/s41583-021-00540-x"),
    ("10.1002/(SICI)1097-4636(199603)30:3<261::AID-JBM1>3.0.CO;2-M",
     "10.1002/(sici)1097-4636(199603)30:3<261::aid-jbm1>3.0.co;2-m"),
    ("11.1093/ijnp", None),
    ("10.12/too-short-registrant", None),
    ("not a doi", None),
])
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("0165-0327", "0165-0327"),   # J Affect Disord
    ("1573-2517", "1573-2517"),
    ("01650327", "0165-0327"),
    ("0165-0328", None),          # wrong check digit
    ("2049-3630", "2049-3630"),
    ("0317-8471", "0317-8471"),
    ("1050-124X", "1050-124X"),
    ("1050-124x", "1050-124X"),
])
def test_normalize_issn(raw, expected):
    assert normalize_issn(raw) == expected


def test_issn_check_digit_can_be_x():
    assert issn_check_digit("1050124") == "X"


@pytest.mark.parametrize(("raw", "expected"), [
    ("0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("0000000218250097", "0000-0002-1825-0097"),
    ("0000-0002-1694-233X", "0000-0002-1694-233X"),
    ("0000-0002-1825-0098", None),
])
def test_normalize_orcid(raw, expected):
    assert normalize_orcid(raw) == expected

"""Pure functions that recognise and normalise bibliographic identifiers (PMID, PMCID, DOI, ISSN, ORCID)."""

from __future__ import annotations

import re

_PMID = re.compile(r"[1-9][0-9]{0,9}")
_PMCID = re.compile(r"(?:PMC)?([1-9][0-9]{0,9})", re.IGNORECASE)
_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+")
_DOI_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_ISSN = re.compile(r"([0-9]{4})-?([0-9]{3}[0-9X])", re.IGNORECASE)
_ORCID = re.compile(r"(?:https?://orcid\.org/)?([0-9]{4})-?([0-9]{4})-?([0-9]{4})-?([0-9]{3}[0-9X])", re.IGNORECASE)


def normalize_pmid(value: str) -> str | None:
    """A PMID as digits without leading zeros, or None when `value` is not one."""
    text = value.strip()
    if text.upper().startswith("PMID:"):
        text = text[5:].strip()
    text = text.lstrip("0") if text.isdigit() else text
    return text if _PMID.fullmatch(text) else None


def normalize_pmcid(value: str) -> str | None:
    """A PMCID as 'PMC' + digits, or None when `value` is not one."""
    match = _PMCID.fullmatch(value.strip())
    return f"PMC{match.group(1)}" if match else None


def normalize_doi(value: str) -> str | None:
    """A DOI lower-cased without 'doi:' or resolver prefix, or None when `value` is not one.

    DOIs are case-insensitive (DOI Handbook, section 2.4), so lower case is the canonical form
    that makes equal DOIs compare equal.
    """
    text = _DOI_PREFIXES.sub("", value.strip()).rstrip(".")
    return text.lower() if _DOI.fullmatch(text) else None


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check character for seven digits (ISO 3297: weights 8..2, modulus 11)."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_issn(value: str) -> str | None:
    """An ISSN as NNNN-NNNC with a correct check character, or None."""
    match = _ISSN.fullmatch(value.strip())
    if not match:
        return None
    digits = (match.group(1) + match.group(2)).upper()
    if issn_check_digit(digits[:7]) != digits[7]:
        return None
    return f"{digits[:4]}-{digits[4:]}"


def orcid_check_digit(first_fifteen: str) -> str:
    """The ORCID check character (ISO 7064 11,2) for the first fifteen digits."""
    total = 0
    for digit in first_fifteen:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_orcid(value: str) -> str | None:
    """An ORCID iD as NNNN-NNNN-NNNN-NNNC with a correct checksum, or None."""
    match = _ORCID.fullmatch(value.strip())
    if not match:
        return None
    digits = "".join(match.groups()).upper()
    if orcid_check_digit(digits[:15]) != digits[15]:
        return None
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))

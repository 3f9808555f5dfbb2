"""The language tags (BCP 47) of the languages PubMed names by their ISO 639-2 bibliographic codes."""

from __future__ import annotations

# PubMed's language codes (MEDLINE LA, XML <Language>) that have a two-letter ISO 639-1 code, which
# BCP 47 prefers; the other codes are valid BCP 47 tags as they are ('haw', 'mul' aside).
_TWO_LETTERS = {
    "afr": "af", "alb": "sq", "amh": "am", "ara": "ar", "arm": "hy", "aze": "az", "ben": "bn", "bos": "bs",
    "bul": "bg", "cat": "ca", "chi": "zh", "cze": "cs", "dan": "da", "dut": "nl", "eng": "en", "epo": "eo",
    "est": "et", "fin": "fi", "fre": "fr", "geo": "ka", "ger": "de", "gla": "gd", "gre": "el", "heb": "he",
    "hin": "hi", "hrv": "hr", "hun": "hu", "ice": "is", "ind": "id", "ita": "it", "jpn": "ja", "kin": "rw",
    "kor": "ko", "lat": "la", "lav": "lv", "lit": "lt", "mac": "mk", "mal": "ml", "mao": "mi", "may": "ms",
    "nor": "no", "per": "fa", "pol": "pl", "por": "pt", "pus": "ps", "rum": "ro", "rus": "ru", "san": "sa",
    "slo": "sk", "slv": "sl", "spa": "es", "srp": "sr", "swe": "sv", "tha": "th", "tur": "tr", "ukr": "uk",
    "urd": "ur", "vie": "vi", "wel": "cy",
}
# Not a language: several, or undetermined.
_NONE = {"mul", "und", "zxx"}


def language_tag(code: str) -> str | None:
    """The BCP 47 tag of an ISO 639-2 code as PubMed writes it ('fre' -> 'fr'), or None."""
    code = code.strip().lower()
    if code in _NONE or not code.isalpha() or len(code) != 3:
        return None
    return _TWO_LETTERS.get(code, code)


def vernacular_language(codes: tuple[str, ...]) -> str | None:
    """The language of an article's vernacular title: its first language other than English."""
    return next((tag for tag in map(language_tag, codes) if tag and tag != "en"), None)

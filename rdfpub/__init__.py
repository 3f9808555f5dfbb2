"""rdfpub: publish PubMed article records as Linked Data."""

__version__ = "0.1.0"

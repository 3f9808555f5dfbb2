"""The SHACL gate: pyshacl for any shapes, and the fast checker for rdfpub's own."""

"""Storage: the embedded Oxigraph store, a remote SPARQL store, the owner's channel, and opening one by its setting."""

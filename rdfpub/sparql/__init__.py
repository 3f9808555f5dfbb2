"""SPARQL text read before it runs: the lexer (shared by the endpoint's guard and the remote store) and the guard."""

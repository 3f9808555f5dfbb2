"""A store on a remote SPARQL server: the client, its answers, authentication, dumps and look-ups."""

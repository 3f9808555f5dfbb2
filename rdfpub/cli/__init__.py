"""The `rdfpub` command line: its commands, the checks before a run, progress, rejects and the serving channel."""

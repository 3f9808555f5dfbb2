"""Entry point for `python -m rdfpub`."""

from rdfpub.cli.main import main

raise SystemExit(main())

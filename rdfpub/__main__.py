"""Entry point for `python -m rdfpub`."""

from rdfpub.cli import main

raise SystemExit(main())

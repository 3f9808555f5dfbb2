"""The `rdfpub resolve-references` command: resolves every text-only reference of a store again, with progress and a summary."""

from __future__ import annotations

import argparse
import sys

from rdfpub.cli.checks import check_store_exists
from rdfpub.errors import StoreError
from rdfpub.iris import Iris
from rdfpub.references.rerun import rerun
from rdfpub.settings import Settings
from rdfpub.store.opening import open_minted

OK = 0  # the exit codes rdfpub/cli/main.py documents; errors are raised and turned into 2 there


def add_parser(commands, store_option, base_option) -> None:
    resolve = commands.add_parser(
        "resolve-references", help="link the store's references that came without identifiers to its articles, "
                                   "anew (after an ingest was stopped, or for a store filled before rdfpub did so)")
    store_option(resolve, created=False)
    base_option(resolve)
    resolve.add_argument("--quiet", action="store_true", help="no progress, only the summary line")


def cmd_resolve_references(settings: Settings, args: argparse.Namespace) -> int:
    check_store_exists(settings.store)
    settings, store = open_minted(settings, args.base_given, index=False)
    if getattr(store, "path", None) is None:
        raise StoreError("resolve-references works on the embedded store only (a store server is not resolved yet)")

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"\rresolving references: {done:,}/{total:,}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)

    summary = rerun(store, Iris(settings.base_iri), progress)
    store.flush()
    print(f"resolve-references: {summary.references:,} reference(s) without identifiers against "
          f"{summary.articles:,} article(s): {summary.linked:,} linked ({summary.added:,} link(s) added, "
          f"{summary.removed:,} taken out), {summary.references - summary.linked:,} waiting")
    return OK

"""The `rdfpub` command's arguments: each command, its options and their help, with the defaults they name."""

from __future__ import annotations

import argparse
from pathlib import Path

from rdfpub import __version__
from rdfpub.cli import resolve as cli_resolve
from rdfpub.pipeline import ingest
from rdfpub.pipeline.reports import REPORT_FORMATS
from rdfpub.sources import FORMATS
from rdfpub.store.embedded import DUMP_FORMATS


def _store_option(parser: argparse.ArgumentParser, created: bool = True) -> None:
    parser.add_argument("--store", metavar="DIR|URL",
                        help=f"store directory{', created when missing,' if created else ' (it must exist)'} or a "
                             "SPARQL server's query URL http(s)://... (env RDFPUB_STORE; default ./rdfpub-store)")


def _base_option(parser: argparse.ArgumentParser, empty: str | None = "http://localhost:8000") -> None:
    """--base-iri; `empty` is the default over an empty store (None: the command has no store)."""
    default = ("http://localhost:8000" if empty is None else
               f"the base the store's records were minted under (a different one is refused), or {empty} "
               "for an empty store")
    parser.add_argument("--base-iri", metavar="IRI",
                        help=f"base of every IRI the dataset mints (env RDFPUB_BASE_IRI; default {default})")


def _inputs_options(parser: argparse.ArgumentParser, old_format_flag: bool) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="input files or folders (every file below a folder is read; .gz is read as is)")
    # --format is the older spelling of --input-format for ingest, still read.
    flags = ("--input-format", "--format") if old_format_flag else ("--input-format",)
    parser.add_argument(*flags, choices=sorted(FORMATS), dest="input_format",
                        help="input format, instead of detecting it from each file's content")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="worker processes that map and validate (default: one per core)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rdfpub", description=(
        "Publish PubMed article records as Linked Data: SPAR RDF, SHACL-validated, a SPARQL "
        "endpoint and dumps."))
    parser.add_argument("--version", action="version", version=f"rdfpub {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the web server (loads seeds/ into an empty store)")
    serve.add_argument("--host", help="address to listen on (env RDFPUB_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (env RDFPUB_PORT; default 8000)")
    _store_option(serve)
    _base_option(serve, empty="http://localhost:PORT")

    ingest_cmd = commands.add_parser("ingest", help="validate records and publish them into the store")
    _inputs_options(ingest_cmd, old_format_flag=True)
    _store_option(ingest_cmd)
    _base_option(ingest_cmd)
    ingest_cmd.add_argument("--rejects", type=Path, metavar="FILE", default=Path("rdfpub-rejects.jsonl"),
                            help="JSON Lines file for rejected records, rewritten by each run and removed by "
                                 "a run that rejects nothing (default: ./rdfpub-rejects.jsonl)")
    ingest_cmd.add_argument("--quiet", action="store_true",
                            help="no progress (a live line on a terminal, a log line a minute elsewhere) and no "
                                 "per-record messages")
    ingest_cmd.add_argument("--batch-size", type=int, metavar="N",
                            help=f"records per store transaction (default {ingest.STORE_TRANSACTION:,} on the "
                                 f"embedded store, {ingest.BATCH_SIZE} on a store server): smaller "
                                 "commits more often, larger is faster")
    ingest_cmd.add_argument("--verbose", action="store_true",
                            help="one line per record as it is committed (published, replaced, ...)")

    validate = commands.add_parser("validate", help="check records against the shapes; store nothing")
    _inputs_options(validate, old_format_flag=False)
    _base_option(validate, empty=None)
    # --format is the older spelling of --report-format, still read.
    validate.add_argument("--report-format", "--format", choices=REPORT_FORMATS, default="text", dest="report_format",
                          help="text (grouped and counted, default), json, or turtle (pyshacl's "
                               "sh:ValidationReport for every record with problems)")

    dump = commands.add_parser("dump", help="write the whole dataset as Turtle, N-Triples or N-Quads")
    _store_option(dump, created=False)
    _base_option(dump)
    # --format is the older spelling of --output-format, still read.
    dump.add_argument("--output-format", "--format", choices=sorted(DUMP_FORMATS), default="turtle",
                      dest="dump_format",
                      help="serialisation (default turtle; nq keeps one named graph per record)")
    dump.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    dump.add_argument("--gzip", action="store_true",
                      help="gzip the output (byte for byte the server's /dump.*.gz for the same store)")
    cli_resolve.add_parser(commands, _store_option, _base_option)
    return parser

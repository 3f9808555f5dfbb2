"""The `rdfpub` command: serve, ingest, validate, dump; each parses options, calls the library, prints a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdfpub import __version__
from rdfpub.errors import RdfpubError
from rdfpub.iris import Iris
from rdfpub.pipeline import Outcome, Pipeline, Summary
from rdfpub.resources import seeds_dir
from rdfpub.settings import Settings
from rdfpub.sources import FORMATS
from rdfpub.store import DUMP_FORMATS, Store
from rdfpub.vocab import PREFIXES

# Exit codes, as the README documents them.
OK, REJECTED, ERROR = 0, 1, 2


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="store directory, created when missing (env RDFPUB_STORE; default ./rdfpub-store)")


def _base_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-iri", metavar="IRI",
                        help="base of every IRI the dataset mints (env RDFPUB_BASE_IRI; default http://localhost:8000)")


def _inputs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="input files or folders (every file below a folder is read)")
    parser.add_argument("--format", choices=sorted(FORMATS), dest="input_format",
                        help="input format, instead of detecting it from each file's content")


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
    _base_option(serve)

    ingest = commands.add_parser("ingest", help="validate records and publish them into the store")
    _inputs_options(ingest)
    _store_option(ingest)
    _base_option(ingest)

    validate = commands.add_parser("validate", help="check records against the shapes; store nothing")
    _inputs_options(validate)
    _base_option(validate)

    dump = commands.add_parser("dump", help="write the whole dataset as Turtle, N-Triples or N-Quads")
    _store_option(dump)
    _base_option(dump)
    dump.add_argument("--format", choices=sorted(DUMP_FORMATS), default="turtle", dest="dump_format",
                      help="serialisation (default turtle; nq keeps one named graph per record)")
    dump.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    return parser


def _report(outcome: Outcome) -> None:
    if outcome.status == "rejected":
        print(f"rejected: {outcome.describe()}", file=sys.stderr)


def _print_summary(summary: Summary, verb: str) -> None:
    parts = [f"{summary.read} read"]
    if verb == "ingest":
        parts += [f"{summary.published} published", f"{summary.replaced} replaced"]
    else:
        parts.append(f"{summary.conformant} conformant")
    parts.append(f"{len(summary.rejected)} rejected")
    print(", ".join(parts), file=sys.stderr)


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    store = Store(settings.store)
    summary = Pipeline(settings, store).run(args.paths, args.input_format, _report)
    store.flush()
    _print_summary(summary, "ingest")
    return REJECTED if summary.rejected else OK


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    summary = Pipeline(settings).run(args.paths, args.input_format, _report)
    _print_summary(summary, "validate")
    if any(not outcome.is_record for outcome in summary.rejected):
        return ERROR
    return REJECTED if summary.rejected else OK


def cmd_dump(settings: Settings, args: argparse.Namespace) -> int:
    store = Store(settings.store)
    prefixes = dict(PREFIXES, rdfpub=Iris(settings.base_iri).vocab)
    chunks = store.dump(args.dump_format, prefixes=prefixes)
    if args.output:
        with args.output.open("wb") as out:
            out.writelines(chunks)
    else:
        sys.stdout.buffer.writelines(chunks)
        sys.stdout.buffer.flush()
    return OK


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from rdfpub.web import create_app

    store = Store(settings.store)
    if store.is_empty():
        print(f"empty store at {settings.store}: loading the seed records from {seeds_dir()}", file=sys.stderr)
        summary = Pipeline(settings, store).run([seeds_dir()], None, _report)
        store.flush()
        _print_summary(summary, "ingest")
    print(f"serving {settings.base_iri} on http://{settings.host}:{settings.port}/", file=sys.stderr)
    uvicorn.run(create_app(settings, store), host=settings.host, port=settings.port, log_level="info")
    return OK


COMMANDS = {"serve": cmd_serve, "ingest": cmd_ingest, "validate": cmd_validate, "dump": cmd_dump}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(
            store=getattr(args, "store", None), base_iri=getattr(args, "base_iri", None),
            host=getattr(args, "host", None), port=getattr(args, "port", None))
        return COMMANDS[args.command](settings, args)
    except RdfpubError as error:
        print(f"rdfpub: {error}", file=sys.stderr)
        return ERROR
    except ValueError as error:  # a malformed setting from the environment
        print(f"rdfpub: {error}", file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

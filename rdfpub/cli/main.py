"""The `rdfpub` command: serve, ingest, validate, dump, resolve-references; each parses options, calls the library, prints a summary."""

from __future__ import annotations

import argparse
import contextlib
import gzip
import logging
import os
import socket
import sys

from rdfpub.cli import resolve as cli_resolve
from rdfpub.cli.arguments import build_parser
from rdfpub.cli.checks import check_inputs, check_store_exists, open_for_writing
from rdfpub.cli.progress import Progress
from rdfpub.cli.rejects import RejectsFile
from rdfpub.errors import RdfpubError
from rdfpub.iris import Iris
from rdfpub.pipeline import ingest
from rdfpub.pipeline.preparation import Outcome
from rdfpub.pipeline.reports import json_report, shacl_report, text_report
from rdfpub.resources import seeds_dir
from rdfpub.settings import Settings
from rdfpub.store.embedded import Store
from rdfpub.store.opening import open_minted, rebase
from rdfpub.vocab import PREFIXES

# Exit codes, as the README documents them.
OK, REJECTED, ERROR = 0, 1, 2


def _print_summary(summary: ingest.Summary, verb: str) -> None:
    parts = [f"{summary.read} read"]
    if verb == "ingest":
        parts += [f"{summary.published} published", f"{summary.replaced} replaced",
                  f"{summary.unchanged} unchanged", f"{summary.older} older (kept the newer)",
                  f"{summary.withdrawn} withdrawn (a later file deletes them)", f"{summary.deleted} deleted"]
    else:
        parts.append(f"{summary.conformant} conformant")
    parts.append(f"{len(summary.rejected)} rejected")
    line = ", ".join(parts)
    if verb == "ingest":
        line += (f"; {summary.deletions} deletion(s) read: {summary.deleted} deleted, {summary.absent} named "
                 f"nothing stored, {summary.superseded} named a record a later file published again")
    print(line, file=sys.stderr)


def _run(settings: Settings, args: argparse.Namespace, store: Store | None, verb: str,
         rejects: RejectsFile | None = None, quiet: bool = False, verbose: bool = False) -> ingest.Summary:
    progress = Progress(enabled=not (quiet or verbose))
    counts: dict[str, int] = {"done": 0}

    def on_outcome(outcome: Outcome) -> None:
        counts["done"] += 1
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        if outcome.status == "rejected":
            if rejects is not None:
                rejects.write(outcome)
            if not quiet:
                progress.close()
                print(f"rejected: {outcome.describe()}", file=sys.stderr)
        elif verbose:
            print(f"{outcome.status}: {outcome.label}", file=sys.stderr, flush=True)
        progress.update(counts["done"], "  ".join(f"{name} {n:,}" for name, n in counts.items() if name != "done"))

    try:
        summary = ingest.run(args.paths, settings, store, args.input_format, args.workers, on_outcome,
                             getattr(args, "batch_size", None), progress)
    finally:
        progress.close()
        if rejects is not None:
            rejects.close()
    _print_summary(summary, verb)
    if rejects is not None and rejects.count:
        print(f"{rejects.count} rejected record(s) written to {rejects.path}", file=sys.stderr)
    if not quiet:
        print(f"{progress.rate():,.0f} records/s", file=sys.stderr)
    return summary


def _open_store(settings: Settings, base_given: bool, through_owner: bool = False) -> tuple[Settings, Store]:
    """The store and the settings with the base its records were minted under (rdfpub/store/opening.py)."""
    settings, store = open_minted(settings, base_given, through_owner=through_owner)
    if store.recovered:
        print(f"{store.recovered} record(s) that a stopped run had half written were removed from the store; "
              "ingest their input again to restore them", file=sys.stderr)
    if getattr(store, "reindexed", 0):
        print(f"the store's search and listing index did not match it: made anew for {store.reindexed:,} records",
              file=sys.stderr)
    return settings, store


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    check_inputs(args.paths)  # before the store is opened: a mistyped path creates no empty store
    settings, store = _open_store(settings, args.base_given, through_owner=True)
    rejects = RejectsFile(args.rejects).open()  # before anything is published: an unwritable path stops here
    summary = _run(settings, args, store, "ingest", rejects, args.quiet, args.verbose)
    store.flush()
    return REJECTED if summary.rejected else OK


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    check_inputs(args.paths)
    if args.report_format == "turtle":
        report, conforms = shacl_report(args.paths, settings, args.input_format)
        sys.stdout.write(report)
        return OK if conforms else REJECTED
    outcomes: list[Outcome] = []
    summary = ingest.run(args.paths, settings, None, args.input_format, args.workers, outcomes.append)
    report = text_report(outcomes) if args.report_format == "text" else json_report(outcomes)
    if report:
        print(report)
    _print_summary(summary, "validate")
    if any(not outcome.is_record for outcome in summary.rejected):
        return ERROR
    return REJECTED if summary.rejected else OK


def cmd_dump(settings: Settings, args: argparse.Namespace) -> int:
    check_store_exists(settings.store)
    # The output is opened first: a path that cannot be written is said before any work is done.
    output = open_for_writing(args.output, "output file", "-o", "wb") if args.output else None
    try:
        settings, store = open_minted(settings, args.base_given, index=False, through_owner=True)
        prefixes = dict(PREFIXES, rdfpub=Iris(settings.base_iri).vocab)
        chunks = store.dump(args.dump_format, prefixes=prefixes)
        with (output or contextlib.nullcontext(sys.stdout.buffer)) as out:
            if args.gzip:
                # No file name and no time in the header, as the server writes its .gz dumps.
                with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as packed:
                    packed.writelines(chunks)
            else:
                out.writelines(chunks)
            out.flush()
    except BaseException:
        if output is not None:  # a dump cut short must not pass for a whole one
            output.close()
            args.output.unlink(missing_ok=True)
        raise
    return OK


def _check_port_free(host: str, port: int) -> None:
    """Fails early, with a message, when the address is taken (uvicorn would exit 3 after start-up)."""
    try:
        with socket.create_server((host, port), reuse_port=False):
            pass
    except OSError as error:
        raise RdfpubError(f"cannot listen on {host}:{port} ({error.strerror}): stop what uses that port, "
                         "or choose another with --port or RDFPUB_PORT") from None


def local_base(host: str, port: int) -> str:
    """The base a server minting for itself uses: its own address as a local browser reaches it."""
    if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "localhost", ""):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _log_to_stderr() -> None:
    """The server's own warnings (a query worker that crashed or ran out of memory, connections
    dropped) on standard error beside uvicorn's, in the same shape."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    logging.getLogger("rdfpub").addHandler(handler)
    logging.getLogger("rdfpub").setLevel(logging.INFO)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from rdfpub.cli.serving_channel import serve_channel
    from rdfpub.web import create_app
    from rdfpub.web.connections import serving_protocol

    _log_to_stderr()

    _check_port_free(settings.host, settings.port)
    settings, store = _open_store(settings, args.base_given)
    if store.is_empty():
        if not args.base_given:  # seeds minted under the server's own address dereference there
            settings, store = rebase(settings, store, local_base(settings.host, settings.port))
        print(f"empty store at {settings.store}: loading the seed records from {seeds_dir()} "
              f"under {settings.base_iri}", file=sys.stderr)
        summary = ingest.run([seeds_dir()], settings, store, workers=1)
        store.flush()
        _print_summary(summary, "ingest")
    print(f"serving {settings.base_iri} on http://{settings.host}:{settings.port}/", file=sys.stderr)
    with serve_channel(app := create_app(settings, store), store):  # ingest and dump may use it meanwhile
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                    access_log=bool(settings.access_log), http=serving_protocol(settings), ws="none")
    return OK


COMMANDS = {"serve": cmd_serve, "ingest": cmd_ingest, "validate": cmd_validate, "dump": cmd_dump, "resolve-references": cli_resolve.cmd_resolve_references}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(
            store=getattr(args, "store", None), base_iri=getattr(args, "base_iri", None),
            host=getattr(args, "host", None), port=getattr(args, "port", None))
        # A base given wins over (and must agree with) the one the store's records were minted under.
        args.base_given = getattr(args, "base_iri", None) is not None or bool(os.environ.get("RDFPUB_BASE_IRI"))
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

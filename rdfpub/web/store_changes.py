"""What the app does when another process wrote to its store: queries see each batch soon, counts and dumps follow the whole run."""

from __future__ import annotations

import asyncio
import logging
import time

from rdfpub.settings import is_remote

logger = logging.getLogger(__name__)

# Query workers read a checkpoint (rdfpub/web/query_workers.py); a new one is taken at most this
# often while batches arrive, so new records are in SPARQL answers within about this long.
CHECKPOINT_DELAY = 0.5
RETRY_DELAY = 0.05


def generation(app) -> int:
    """How many runs of writes (ingests through the store's channel) have ended since the app
    started: the key of what is counted or dumped once per store state."""
    return getattr(app.state, "store_generation", 0)


def period(app, seconds: float) -> int:
    """When what is counted or looked up in the store once per store state is done again: a remote
    store may change under the app at any time (other processes write to it), so it is every
    `seconds`; the embedded one changes only through the app's channel, which says when (generation)."""
    return int(time.monotonic() // seconds) if is_remote(app.state.settings.store) else generation(app)


def batch_applied(app) -> None:
    """Called from the channel's thread after a batch was applied: a new checkpoint, soon."""
    loop = getattr(app.state, "loop", None)
    if loop is not None and not loop.is_closed():
        loop.call_soon_threadsafe(_schedule_checkpoint, app, loop)


def writes_ended(app) -> None:
    """Called from the channel's thread when a writer finished or went: the counts and dumps of the
    new state are made (the previous dumps are served meanwhile)."""
    loop = getattr(app.state, "loop", None)
    if loop is not None and not loop.is_closed():
        loop.call_soon_threadsafe(_ended, app)


def _schedule_checkpoint(app, loop) -> None:
    # On the event loop, as every use of the pool: a checkpoint is never removed under a job.
    if getattr(app.state, "checkpoint_due", False):
        return
    app.state.checkpoint_due = True
    loop.call_later(CHECKPOINT_DELAY, _checkpoint, app)


def _checkpoint(app) -> None:
    pool = getattr(app.state, "query_pool", None)
    applying = getattr(app.state, "store_applying", None)  # a lock held while a batch is written
    if applying is not None and not applying.acquire(blocking=False):
        # Never a checkpoint of half a batch; and never a wait on the event loop: try again soon.
        asyncio.get_running_loop().call_later(RETRY_DELAY, _checkpoint, app)
        return
    try:
        app.state.checkpoint_due = False
        if pool is not None and hasattr(pool, "publish"):
            pool.publish()
    finally:
        if applying is not None:
            applying.release()


def _ended(app) -> None:
    from rdfpub.web.dumps import cache_of  # here: dumps imports this module

    _checkpoint(app)
    app.state.store_generation = generation(app) + 1
    try:
        cache_of(app).build_in_background()
    except OSError as error:
        logger.warning("the dumps of the new store state could not be started: %s", error)

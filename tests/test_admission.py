"""Admission by structure: places, a slow lane that never takes them all, first come first served, a bounded wait."""

import asyncio

import pytest

from rdfpub.web.admission import Lanes, Refused
from rdfpub.web.query_workers import slow_places


def _run(body):
    return asyncio.run(body())


def test_places_are_given_in_order_of_arrival():
    async def body():
        lanes, order = Lanes(1, 1, max_wait=60), []
        await lanes.enter()  # the one place, held

        async def arrive(name):
            await lanes.enter()
            order.append(name)

        waiting = []
        for name in ("first", "second", "third", "fourth"):
            waiting.append(asyncio.create_task(arrive(name)))
            await asyncio.sleep(0)  # each is waiting before the next arrives
        assert lanes.waiting == 4 and lanes.running == 1
        for _ in range(4):
            lanes.leave(slow=False)
            await asyncio.sleep(0)
        await asyncio.gather(*waiting)
        return order, lanes

    order, lanes = _run(body)
    assert order == ["first", "second", "third", "fourth"]
    assert lanes.running == 1 and lanes.counts["admitted"] == 5 and lanes.counts["waited"] == 4


def test_a_query_that_finds_no_place_in_time_is_refused_with_retry_after():
    async def body():
        lanes = Lanes(1, 1, max_wait=0.01)
        await lanes.enter()
        with pytest.raises(Refused) as refused:
            await lanes.enter()
        lanes.leave(slow=False)
        await lanes.enter()  # a place given back is taken at once
        return refused.value, lanes

    refused, lanes = _run(body)
    assert refused.status == 503 and int(refused.headers["Retry-After"]) >= 1 and "busy" in str(refused)
    assert lanes.counts["refused"] == 1 and lanes.waiting == 0 and lanes.running == 1


def test_the_wait_never_passes_the_deadline():
    async def body():
        lanes = Lanes(1, 1, max_wait=60)
        await lanes.enter()
        with pytest.raises(Refused):
            await lanes.enter(deadline=asyncio.get_running_loop().time())

    _run(body)


@pytest.mark.parametrize(("size", "slow"), [(1, 1), (2, 1), (3, 1), (4, 2), (8, 4), (16, 8)])
def test_the_slow_lane_never_takes_every_place(size, slow):
    assert slow_places(size) == slow
    lanes = Lanes(size, slow_places(size), max_wait=1)
    moved = [lanes.demote() for _ in range(size)]
    assert moved == [True] * slow + [False] * (size - slow)
    assert lanes.slow == lanes.peak_slow == slow and lanes.counts["shed"] == size - slow
    assert lanes.slow_lane_full


def test_a_place_handed_to_a_client_that_left_is_given_on():
    async def body():
        lanes = Lanes(1, 1, max_wait=60)
        await lanes.enter()
        gone = asyncio.create_task(lanes.enter())
        await asyncio.sleep(0)
        lanes.leave(slow=False)  # handed to `gone`...
        gone.cancel()  # ...which is cancelled before it runs again
        with pytest.raises(asyncio.CancelledError):
            await gone
        return lanes

    lanes = _run(body)
    assert lanes.running == 0 and lanes.waiting == 0

"""HTTP authentication to a store server: Basic, or Digest when the server asks for it."""

from __future__ import annotations

import httpx


class StoreAuth(httpx.Auth):
    """HTTP Basic, or Digest when the server asks for it (Virtuoso's authenticated endpoints do);
    once a server has asked for Digest, every later request answers its last challenge at once."""

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._wants_digest = False

    def auth_flow(self, request):
        if self._wants_digest:
            yield from self._digest.auth_flow(request)
            return
        response = yield next(self._basic.auth_flow(request))
        if response.status_code == 401 and not _asks_digest(response):
            # Virtuoso answers a Basic header with a bare 401: asked again without one, it challenges.
            del request.headers["Authorization"]
            response = yield request
        if response.status_code != 401 or not _asks_digest(response):
            return
        self._wants_digest = True
        flow = self._digest.auth_flow(request)
        next(flow)
        try:
            yield flow.send(response)  # the request again, answering the challenge
        except StopIteration:
            return


def _asks_digest(response: httpx.Response) -> bool:
    return "digest" in response.headers.get("www-authenticate", "").lower()

"""Headers every response carries whatever route made it: no MIME sniffing, and HTML that no other site may frame.

They are added where the app hands a response to the server, so the SPARQL endpoint's fast path,
error pages and pages yet to be written get them too, and no handler can forget them."""

from __future__ import annotations

NOSNIFF = (b"x-content-type-options", b"nosniff")
# HTML pages have no script of their own (their schema.org JSON-LD is a data block, which no
# browser runs) and the site's own style sheet (/site.css); nothing may be framed by, or frame,
# another site. A page that needs more (the SPARQL query page) sets its own policy, which is kept.
PAGE_POLICY = (b"default-src 'none'; style-src 'self'; img-src 'self' data:; "
               b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def with_security_headers(send):
    """`send`, adding X-Content-Type-Options to every response and a Content-Security-Policy with
    frame-ancestors to every HTML response that has none."""

    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            names = {name.lower() for name, _ in headers}
            if b"x-content-type-options" not in names:
                headers.append(NOSNIFF)
            content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
            if content_type.lower().startswith(b"text/html") and b"content-security-policy" not in names:
                headers.append((b"content-security-policy", PAGE_POLICY))
            message = {**message, "headers": headers}
        await send(message)

    return sending

"""Talking to a remote SPARQL store over HTTP: queries (SPARQL 1.1 Protocol) and credentials.

Only the standard library's ``urllib``: a query or a graph upload is one request, which needs
no connection pool or async client, and it keeps the dependency list as it is.

Credentials are never taken from the command line or the URL. In order of precedence:
``JIXIAO_STORE_TOKEN`` (sent as a bearer token); ``JIXIAO_STORE_USER`` with
``JIXIAO_STORE_PASSWORD`` (HTTP Basic); the netrc file (``$NETRC`` or ``~/.netrc``) entry for
the store's host. They are sent on the request only, never on a redirect, and never printed.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from toolkit.errors import ConfigError, PublishError

__all__ = [
    "check_store_url",
    "credentials",
    "open_request",
    "query_endpoint",
    "triples_as_results",
]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}


def check_store_url(url: str, *, option: str = "--to") -> urllib.parse.SplitResult:
    """An ``http(s)`` URL without credentials in it (they would end up in shell histories)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("must be an http:// or https:// URL", key=option)
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            "credentials in the URL are not accepted; set JIXIAO_STORE_USER and "
            "JIXIAO_STORE_PASSWORD (or JIXIAO_STORE_TOKEN), or use ~/.netrc",
            key=option,
        )
    return parts


def credentials(url: str) -> str | tuple[str, str] | None:
    """A bearer token, or a user and password, for ``url`` from the environment or netrc."""
    token = os.environ.get("JIXIAO_STORE_TOKEN")
    if token:
        return token
    user = os.environ.get("JIXIAO_STORE_USER")
    password = os.environ.get("JIXIAO_STORE_PASSWORD")
    if user and password is not None:
        return user, password
    if user or password:
        missing = "JIXIAO_STORE_PASSWORD" if user else "JIXIAO_STORE_USER"
        raise ConfigError("is not set, but its pair is", key=missing)
    return _from_netrc(urllib.parse.urlsplit(url).hostname or "")


def _from_netrc(host: str) -> tuple[str, str] | None:
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        # The parser's message may quote a token of the file, i.e. a password: keep the line.
        raise ConfigError(f"cannot parse line {error.lineno}", file=path) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", file=path) from None
    if entry is None:
        return None
    login, _account, password = entry
    return login or "", password or ""


def open_request(request: urllib.request.Request, *, timeout: float) -> Any:
    """Send ``request`` with credentials; proxies are bypassed for loopback hosts.

    A user and password go out as HTTP Basic at once (one upload, not two), and as HTTP
    Digest if the store asks for it (Virtuoso's ``/sparql-graph-crud-auth`` does).
    """
    url = request.full_url
    handlers: list[urllib.request.BaseHandler] = []
    if urllib.parse.urlsplit(url).hostname in LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))
    found = credentials(url)
    if isinstance(found, str):
        request.add_unredirected_header("Authorization", f"Bearer {found}")
    elif found is not None:
        user, password = found
        basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {basic}")
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
    return urllib.request.build_opener(*handlers).open(request, timeout=timeout)


def query_endpoint(url: str, query: str, *, timeout: float = 60.0) -> dict[str, Any]:
    """Run ``query`` on the SPARQL endpoint at ``url`` (SPARQL 1.1 Protocol, POST form).

    The answer is in the SPARQL 1.1 JSON results format; ``CONSTRUCT`` and ``DESCRIBE``
    graphs come back as ``subject``/``predicate``/``object`` bindings marked ``"graph": true``
    (see :func:`triples_as_results`).
    """
    check_store_url(url, option="--endpoint")
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
        headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with open_request(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            body = response.read()
    except urllib.error.HTTPError as error:
        with error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()
        reason = f"HTTP {error.code} {error.reason}" + (f": {detail[0]}" if detail else "")
        raise PublishError(f"{url}: the endpoint refused the query: {reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PublishError(f"{url}: cannot reach the endpoint: {reason}") from None
    if media_type in GRAPH_TYPES:
        try:
            quads = ox.parse(body, format=GRAPH_TYPES[media_type])
            return triples_as_results(quad.triple for quad in quads)
        except SyntaxError as error:
            raise PublishError(f"{url}: the endpoint answered a broken graph: {error}") from None
    try:
        return json.loads(body)
    except ValueError:
        raise PublishError(f"{url}: the endpoint did not answer JSON ({media_type})") from None


def _term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "literal", "value": str(term)}


def triples_as_results(triples: Iterable[ox.Triple]) -> dict[str, Any]:
    """A graph as SPARQL JSON results with the variables ``subject``, ``predicate``, ``object``,
    sorted, and ``"graph": true`` so a reader can tell it from a SELECT with those names."""
    bindings = [
        {"subject": _term(t.subject), "predicate": _term(t.predicate), "object": _term(t.object)}
        for t in triples
    ]
    bindings.sort(key=lambda b: json.dumps(b, sort_keys=True, ensure_ascii=False))
    return {
        "head": {"vars": ["subject", "predicate", "object"]},
        "results": {"bindings": bindings},
        "graph": True,
    }

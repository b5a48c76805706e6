"""Stable fingerprints: the same problem at the same place is one item across patrols."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from checks.model import Finding

DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGES = ("index.html", "index.htm", "index.shtml", "index.jsp", "index.php",
               "default.html", "default.htm", "default.aspx", "default.asp")
# Query keys that say how someone arrived, not what the page is.
TRACKING_KEYS = frozenset({
    "spm", "from", "isappinstalled", "scene", "srcid", "share_token", "timestamp", "_t",
    "fbclid", "gclid", "sessionid", "jsessionid", "phpsessid", "sid",
})


def normalize_url(url: str) -> str:
    """Scheme and host lowercased, no default port, fragment, index page or tracking query."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    path = parts.path or "/"
    head, _, last = path.rpartition("/")
    if last.lower() in INDEX_PAGES:
        path = head + "/"
    if ";" in path:  # ;jsessionid=... path parameters
        path = path.split(";", 1)[0]
    query = urlencode([
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_KEYS and not k.lower().startswith("utm_")
    ])
    return urlunsplit((scheme, netloc, path, query, ""))


def fingerprint(finding: Finding) -> str:
    """sha256 over rule, site/account, normalised URL and what was matched there (for a
    link finding: rule, site/account and the normalised target)."""
    place = f"account:{finding.account}" if finding.account else f"site:{finding.site or ''}"
    if finding.target:
        # The link rules report one finding per broken target with every page citing it;
        # ``url`` is just the first of those pages, so the target alone is the location.
        key = "\x1f".join((finding.rule, place, "target:" + normalize_url(finding.target)))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()
    if finding.text is not None:
        detail = "text:" + finding.text.strip()
    elif finding.column:
        detail = "column:" + finding.column.strip()
    else:
        detail = ""
    key = "\x1f".join((finding.rule, place, normalize_url(finding.url), detail))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()

"""Why the crawler gave up on a URL without an HTTP status to show for it.

Scrapy reports every such case as ``IgnoreRequest``; the spider must tell a robots.txt
ban from a redirect loop, so each cause is its own subclass carrying its failure class
(the ``failure`` column of a target; ``checks.links.verdict`` maps it to a
link verdict)::

    IgnoreRequest (Scrapy)
    └── Refusal                  failure: str, sent: bool
        ├── RobotsForbidden      'robots'              never sent
        ├── HostRefused          '429' / '5xx'         never sent: the host asked for a
        │                                              pause longer than we wait
        ├── RedirectLoop         'redirect-loop'       3xx back to a URL of the chain
        ├── TooManyRedirects     'too-many-redirects'  a chain longer than browsers follow
        ├── RefreshLoop          'refresh-loop'        meta refresh loop or endless chain
        └── DecompressionBomb    'bomb'                compressed body past the size limit
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class Refusal(IgnoreRequest):
    failure = "ignored"
    sent = True  # the request went out (False: refused before sending)


class RobotsForbidden(Refusal):
    failure = "robots"
    sent = False


class HostRefused(Refusal):
    sent = False

    def __init__(self, message: str, failure: str = "429") -> None:
        super().__init__(message)
        self.failure = failure


class RedirectLoop(Refusal):
    failure = "redirect-loop"


class TooManyRedirects(Refusal):
    failure = "too-many-redirects"


class RefreshLoop(Refusal):
    failure = "refresh-loop"


class DecompressionBomb(Refusal):
    failure = "bomb"

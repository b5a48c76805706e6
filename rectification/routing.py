"""Owner routing: which responsible unit (责任单位) gets a finding."""

from __future__ import annotations

from checks.model import Finding
from core.settings import Settings
from rectification.fingerprint import normalize_url


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def route(finding: Finding, settings: Settings) -> str:
    """The unit whose ``match`` has the longest URL prefix of the finding's URL; else one
    naming the site or account; else the site's or account's own ``unit``; else ""."""
    url = normalize_url(finding.url)
    best, best_len = "", -1
    by_name = ""
    place = finding.account or finding.site or ""
    for unit in settings.units:
        for match in unit.match:
            if _is_url(match):
                prefix = normalize_url(match)
                if url.startswith(prefix) and len(prefix) > best_len:
                    best, best_len = unit.name, len(prefix)
            elif match == place and not by_name:
                by_name = unit.name
    if best:
        return best
    if by_name:
        return by_name
    return _configured_unit(finding, settings)


def _configured_unit(finding: Finding, settings: Settings) -> str:
    if finding.account:
        for account in settings.accounts:
            if account.name == finding.account:
                return account.unit or ""
        return ""
    for site in settings.sites:
        if site.name == finding.site:
            return site.unit or ""
    return ""

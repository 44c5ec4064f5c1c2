"""The explicit map of network -> API connector, and the factory the ingest uses.

Listed here by hand (no import-time registration) so that adding a network is one visible
line, and so the base (`pulso.sources.streams`) never imports a network module: the import
graph goes registry -> networks -> streams -> http/base, without a cycle.
"""

from __future__ import annotations

from typing import Any

from pulso.core.config import Account
from pulso.sources.base import SourceError
from pulso.sources.http import ApiCredentials
from pulso.sources.networks.linkedin import LinkedInSource
from pulso.sources.networks.meta import FacebookSource, InstagramSource
from pulso.sources.networks.tiktok import TikTokSource
from pulso.sources.networks.x import XSource
from pulso.sources.networks.youtube import YouTubeSource
from pulso.sources.streams import ApiSource

CONNECTORS: dict[str, type[ApiSource]] = {
    "facebook": FacebookSource,
    "instagram": InstagramSource,
    "x": XSource,
    "youtube": YouTubeSource,
    "tiktok": TikTokSource,
    "linkedin": LinkedInSource,
}


def connector_for(account: Account, creds: ApiCredentials, **opts: Any) -> ApiSource:
    """The API connector for an account's network (options: see `ApiSource.__init__`)."""
    try:
        cls = CONNECTORS[account.network]
    except KeyError:
        raise SourceError(f"{account.account_id}: no API connector for network "
                          f"{account.network!r}") from None
    return cls(account, creds, **opts)

"""The public entry point for API sources, kept for callers of `pulso.sources.api`.

The base lives in `pulso.sources.streams`, the connectors in `pulso.sources.networks`, the
network -> connector map in `pulso.sources.registry`; this module only re-exports them.
"""

from __future__ import annotations

from pulso.sources.http import ApiCredentials, RetryPolicy
from pulso.sources.registry import CONNECTORS, connector_for
from pulso.sources.streams import ApiSource, Stream

__all__ = ["CONNECTORS", "ApiCredentials", "ApiSource", "RetryPolicy", "Stream",
           "connector_for"]

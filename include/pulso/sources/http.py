"""The HTTP layer every API connector shares: retries, rate limits, errors without secrets.

Built on httpx (one pooled client per connector) and tenacity (bounded retries with
exponential backoff and jitter). Each network plugs in a `classify` hook that reads its own
error envelope (Meta codes 190/4/17/32/613, Google `errors[].reason`, TikTok `code`) and says
whether a failure is retryable, a rate limit, an expired token or final. Tokens travel in
headers only, and every URL that reaches a message or a log loses its query string, so a
token can never leak through an error, a log line or a row.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from pulso.sources.base import SourceError

log = logging.getLogger("pulso.sources.http")

# query parameters that carry credentials and must never be re-sent in a URL or shown
SECRET_PARAMS = frozenset({"access_token", "token", "client_secret", "key", "api_key",
                           "appsecret_proof", "refresh_token"})


@dataclass(frozen=True)
class ApiCredentials:
    """An API connection as the lead builds it from an Airflow connection.

    host -> base_url (override, e.g. a fake server in tests), password -> token,
    extra JSON -> extra (network-specific options such as the LinkedIn API version).
    """

    conn_id: str
    token: str = field(repr=False)
    base_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # never show the token, even in a debugger
        return f"ApiCredentials(conn_id={self.conn_id!r}, base_url={self.base_url!r})"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: small numbers in tests keep the suite fast."""

    max_attempts: int = 5
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    jitter: float = 1.0
    max_wait: float = 900.0  # a Retry-After longer than this is capped (and logged)
    timeout: float = 30.0


def safe_url(url: str | httpx.URL) -> str:
    """The URL without its query string or fragment, fit for messages and logs."""
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def strip_secret_params(url: str) -> str:
    """Drop credential parameters (Meta puts access_token in `paging.next`)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in SECRET_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def parse_reset_epoch(value: str | None, now: float | None = None) -> float | None:
    """Seconds until an epoch reset time (X `x-rate-limit-reset`)."""
    if not value:
        return None
    try:
        reset = float(value.strip())
    except ValueError:
        return None
    now = time.time() if now is None else now
    return max(0.0, reset - now)


# ---------------------------------------------------------------------------- failures


class ApiRejected(SourceError):
    """The network refused a request for good (a 4xx that cannot succeed on retry)."""

    def __init__(self, message: str, detail: str = "", status: int | None = None):
        super().__init__(message)
        self.detail = detail
        self.status = status


class _Retryable(Exception):
    """A failure worth another attempt; `wait` overrides the backoff (rate limits)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True)
class Verdict:
    """What a network's classifier decided about a response."""

    kind: str  # "ok" | "retry" | "rate_limit" | "auth" | "fatal"
    detail: str = ""
    wait: float | None = None


Classifier = Callable[[httpx.Response, Any], Verdict | None]


def error_text(body: Any) -> str:
    """A short error description from the usual JSON envelopes, for messages."""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return str(err.get("message") or err)[:300]
        if isinstance(err, str):
            return err[:300]
        if "detail" in body or "title" in body:  # X problem details
            return str(body.get("detail") or body.get("title"))[:300]
        if "message" in body:
            return str(body["message"])[:300]
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0]
            return str(first.get("message") if isinstance(first, dict) else first)[:300]
    return ""


def default_verdict(resp: httpx.Response, body: Any) -> Verdict:
    """Generic HTTP semantics: 401 auth, 429 rate limit, 5xx retry, other 4xx final."""
    code = resp.status_code
    if code < 400:
        return Verdict("ok")
    if code == 401:
        return Verdict("auth", error_text(body))
    if code == 429:
        return Verdict("rate_limit", error_text(body) or "HTTP 429")
    if code >= 500 or code == 408:
        return Verdict("retry", f"HTTP {code}")
    return Verdict("fatal", f"HTTP {code}: {error_text(body)}".rstrip(": "))


# ---------------------------------------------------------------------------- client


class ApiClient:
    """GET JSON from one network for one account, with retries and clean errors."""

    def __init__(self, *, network: str, account_id: str, creds: ApiCredentials,
                 default_base_url: str, auth_header: Callable[[str], dict[str, str]],
                 headers: Mapping[str, str] | None = None,
                 classify: Classifier | None = None,
                 policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.network = network
        self.account_id = account_id
        self.conn_id = creds.conn_id
        self.base_url = (creds.base_url or default_base_url).rstrip("/")
        self.policy = policy or RetryPolicy()
        self._classify = classify
        self._sleep = sleep
        self._token = creds.token
        all_headers = {"Accept": "application/json", "User-Agent": "pulso/0.1"}
        all_headers.update(headers or {})
        all_headers.update(auth_header(creds.token))
        self._http = httpx.Client(headers=all_headers, timeout=self.policy.timeout,
                                  transport=transport, follow_redirects=True)
        self.calls = 0  # requests sent, retries included (quota accounting)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- messages

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _fail(self, what: str, url: str) -> SourceError:
        return SourceError(self._scrub(f"{self.account_id}: {what} ({safe_url(url)})"))

    def auth_error(self, detail: str, url: str) -> SourceError:
        msg = (f"{self.account_id}: el token de {self.network} venció o fue revocado "
               f"({detail or 'no autorizado'}). Renueve el token / actualice la conexión "
               f"{self.conn_id} en Airflow ({safe_url(url)})")
        return SourceError(self._scrub(msg))

    # -- requests

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return strip_secret_params(path_or_url)
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def get(self, path_or_url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and decode JSON, retrying what can succeed later; raise SourceError otherwise."""
        url = self.url(path_or_url)
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            for attempt in Retrying(stop=stop_after_attempt(self.policy.max_attempts),
                                    wait=self._wait, retry=retry_if_exception_type(_Retryable),
                                    sleep=self._sleep, before_sleep=self._log_retry,
                                    reraise=True):
                with attempt:
                    return self._once(url, clean)
        except _Retryable as exc:
            raise self._fail(f"{self.network} no respondió tras {self.policy.max_attempts} "
                             f"intentos: {exc.reason}", url) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, params: Mapping[str, Any]) -> Any:
        self.calls += 1
        try:
            target = httpx.URL(url)
            if params:
                target = target.copy_merge_params(dict(params))
            resp = self._http.get(target)
        except httpx.TimeoutException:
            raise _Retryable("tiempo de espera agotado") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"error de red: {type(exc).__name__}") from None
        try:
            body: Any = resp.json() if resp.content else None
            bad_json = False
        except (json.JSONDecodeError, UnicodeDecodeError):
            body, bad_json = None, True
        verdict = (self._classify(resp, body) if self._classify else None) or \
            default_verdict(resp, body)
        if verdict.kind == "ok":
            if bad_json or body is None:
                raise self._fail(f"{self.network} devolvió una respuesta que no es JSON válido "
                                 f"(HTTP {resp.status_code}) en el endpoint", url)
            return body
        if verdict.kind == "auth":
            raise self.auth_error(verdict.detail, url)
        if verdict.kind == "rate_limit":
            wait = verdict.wait
            if wait is None:
                wait = parse_retry_after(resp.headers.get("retry-after"))
            raise _Retryable(f"límite de peticiones ({verdict.detail})", wait)
        if verdict.kind == "retry":
            raise _Retryable(verdict.detail or f"HTTP {resp.status_code}")
        raise ApiRejected(str(self._fail(f"{self.network} rechazó la petición: {verdict.detail}",
                                         url)), self._scrub(verdict.detail), resp.status_code)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        p = self.policy
        if isinstance(exc, _Retryable) and exc.wait is not None:
            return min(exc.wait, p.max_wait)
        backoff = min(p.backoff_max, p.backoff_initial * 2 ** (state.attempt_number - 1))
        return min(p.max_wait, backoff + random.uniform(0, p.jitter))

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        reason = exc.reason if isinstance(exc, _Retryable) else type(exc).__name__
        asked = f" (el servidor pidió {exc.wait:g} s)" if isinstance(exc, _Retryable) \
            and exc.wait is not None else ""
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(self._scrub(f"{self.account_id}: {reason}; reintento "
                                f"{state.attempt_number + 1}/{self.policy.max_attempts} en "
                                f"{wait:.2f} s{asked}"))

    # -- paging helpers

    def pages(self, path: str, params: Mapping[str, Any] | None,
              next_of: Callable[[Any], tuple[str, dict[str, Any] | None] | None]
              ) -> Iterator[Any]:
        """Yield every page; `next_of(body)` gives (url, params) of the next page or None."""
        url, prm = path, dict(params or {})
        seen: set[str] = set()
        while True:
            body = self.get(url, prm)
            yield body
            nxt = next_of(body)
            if not nxt:
                return
            url, new = nxt
            prm = dict(new) if new is not None else {}
            key = f"{url}?{sorted(prm.items())}"
            if key in seen:  # a server that repeats a cursor would loop forever
                raise self._fail(f"{self.network} repitió un cursor de paginación", url)
            seen.add(key)

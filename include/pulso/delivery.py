"""E-mail delivery: through Airflow's SMTP provider when a connection exists, else a local outbox.

The message is always built here (multipart/alternative text + HTML, attachments, a stable
Message-ID), so the `.eml` written to the outbox is byte-for-byte the message that SMTP would
carry. Airflow is imported lazily: the library stays importable without it.

Connection lookup outside a task (Airflow 3.3): `SmtpHook.get_connection` goes through the Task
SDK (`airflow.sdk.Connection.get`). Without a supervisor (CLI, tests) the SDK uses its
"fallback" secrets chain: environment variables (`AIRFLOW_CONN_SMTP_DEFAULT`, URI or JSON) and any
external secrets backend from the config, but NOT the metadata database. Inside a task the worker
chain adds the Execution API, so connections created in the UI are found too.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import TypeVar

from pulso.core.paths import outbox_dir

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_CONN_ID = "smtp_default"
FROM_ENV = "PULSO_EMAIL_FROM"
_MSGID_DOMAIN = "pulso.local"


class EmailError(RuntimeError):
    """The message could not be built or handed to the SMTP server."""


@dataclass(frozen=True)
class Delivery:
    """How a message left: `method` smtp|outbox, `location` server or .eml path, when."""

    method: str
    location: str
    sent_at: datetime
    message_id: str
    recipients: tuple[str, ...]
    subject: str

    def as_dict(self) -> dict:
        d = asdict(self)
        d["sent_at"] = self.sent_at.isoformat()
        d["recipients"] = list(self.recipients)
        return d


def make_message_id(kind: str, period_key: str, checksum: str) -> str:
    """A Message-ID that is the same for the same report content, so receivers can dedupe."""
    safe = re.sub(r"[^A-Za-z0-9.-]", "-", f"{kind}.{period_key}")
    return f"<pulso.{safe}.{checksum[:32]}@{_MSGID_DOMAIN}>"


def _addresses(values: str | Iterable[str]) -> list[str]:
    if isinstance(values, str):
        values = [values]
    out = [addr for _name, addr in getaddresses([v.replace(";", ",") for v in values]) if addr]
    bad = [a for a in out if "@" not in a]
    if bad:
        raise EmailError(f"direcciones de correo no válidas: {bad}")
    return out


def build_message(to: Sequence[str], subject: str, html_body: str, attachments: Sequence[Path],
                  *, from_addr: str, cc: Sequence[str] = (), message_id: str | None = None,
                  text_body: str | None = None, date: datetime | None = None) -> EmailMessage:
    """An RFC 5322 message: text/plain + text/html alternatives, then the attachments."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = from_addr
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(text_body or _html_to_text(html_body))
    msg.add_alternative(html_body, subtype="html")
    for path in attachments:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise EmailError(f"adjunto {path}: no se puede leer ({exc})") from exc
        ctype, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (ctype or "application/octet-stream").split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def _html_to_text(html: str) -> str:
    """A crude plain-text fallback when the caller gives no text body."""
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", html)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</tr>|</h\d>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def send_with_retries(send: Callable[[], T], *, attempts: int = 3, backoff: float = 5.0,
                      what: str = "el correo") -> T:
    """Call `send` up to `attempts` times, waiting `backoff`·2ⁿ⁻¹ s after failure n (tenacity);
    re-raise the last error. EmailError (bad address, unreadable attachment, no from_email) is
    not retried: retrying won't help."""
    from tenacity import (
        RetryCallState,
        Retrying,
        retry_if_not_exception_type,
        stop_after_attempt,
        wait_exponential,
    )

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning("envío de %s falló (intento %d/%d: %s: %s); reintento en %.1f s", what,
                    state.attempt_number, attempts, type(exc).__name__, exc, wait)

    retrying = Retrying(stop=stop_after_attempt(attempts),
                        wait=wait_exponential(multiplier=backoff, exp_base=2, min=0),
                        retry=retry_if_not_exception_type(EmailError), before_sleep=warn,
                        reraise=True)
    return retrying(send)


def _smtp_hook_class():
    """SmtpHook, or None when the provider is not installed."""
    try:
        from airflow.providers.smtp.hooks.smtp import SmtpHook
    except ImportError:
        return None
    return SmtpHook


def smtp_configured(conn_id: str = DEFAULT_CONN_ID) -> bool:
    """True when Airflow can resolve the SMTP connection from here (env var, secrets, task)."""
    hook_cls = _smtp_hook_class()
    if hook_cls is None:
        return False
    try:
        hook_cls.get_connection(conn_id)
    except Exception as exc:  # AirflowNotFoundException, or no secrets backend reachable
        log.debug("SMTP connection %s not available: %s", conn_id, exc)
        return False
    return True


def send_email(to: str | Sequence[str], subject: str, html_body: str,
               attachments: Sequence[Path], *, conn_id: str = DEFAULT_CONN_ID,
               cc: Sequence[str] = (), message_id: str | None = None,
               text_body: str | None = None, from_addr: str | None = None,
               outbox: Path | None = None) -> Delivery:
    """Send through Airflow's SmtpHook if `conn_id` resolves, else write an .eml to the outbox.

    A configured connection that fails raises (never silently falls back to the outbox), so
    the caller can retry and the task can fail visibly.
    """
    rcpt_to, rcpt_cc = _addresses(to), _addresses(cc)
    if not rcpt_to:
        raise EmailError("el correo no tiene destinatarios")
    now = datetime.now(UTC)
    if smtp_configured(conn_id):
        return _send_smtp(rcpt_to, rcpt_cc, subject, html_body, attachments, conn_id=conn_id,
                          message_id=message_id, text_body=text_body, from_addr=from_addr,
                          now=now)
    sender = from_addr or os.environ.get(FROM_ENV) or "pulso@localhost"
    msg = build_message(rcpt_to, subject, html_body, attachments, from_addr=sender, cc=rcpt_cc,
                        message_id=message_id, text_body=text_body, date=now)
    path = write_eml(msg, outbox or outbox_dir(), now=now)
    log.info("SMTP no configurado (%s): correo guardado en %s", conn_id, path)
    return Delivery("outbox", str(path), now, message_id or "", tuple(rcpt_to + rcpt_cc), subject)


def _send_smtp(rcpt_to: list[str], rcpt_cc: list[str], subject: str, html_body: str,
               attachments: Sequence[Path], *, conn_id: str, message_id: str | None,
               text_body: str | None, from_addr: str | None, now: datetime) -> Delivery:
    hook_cls = _smtp_hook_class()
    assert hook_cls is not None
    with hook_cls(conn_id) as hook:
        sender = from_addr or hook.from_email or os.environ.get(FROM_ENV)
        if not sender:
            raise EmailError(f"la conexión {conn_id!r} no define 'from_email' en extra")
        client = getattr(hook, "_smtp_client", None)
        if client is not None and hasattr(client, "send_message"):
            # The hook logged in (TLS/SSL/auth per the connection); hand it the full message so
            # the plain-text alternative and our headers survive.
            msg = build_message(rcpt_to, subject, html_body, attachments, from_addr=sender,
                                cc=rcpt_cc, message_id=message_id, text_body=text_body,
                                date=now)
            refused = client.send_message(msg, from_addr=sender, to_addrs=rcpt_to + rcpt_cc)
            if refused:
                log.warning("el servidor SMTP rechazó a %s", sorted(refused))
        else:  # provider changed its internals: use the public API (HTML only)
            send_public(hook, rcpt_to, rcpt_cc, subject, html_body, attachments,
                        from_addr=sender, message_id=message_id)
        where = f"smtp://{hook.host}:{hook.port}" if hook.port else f"smtp://{hook.host}"
    log.info("correo enviado por %s a %s (%s)", where, rcpt_to + rcpt_cc, message_id)
    return Delivery("smtp", where, datetime.now(UTC), message_id or "",
                    tuple(rcpt_to + rcpt_cc), subject)


def send_saved(path: Path, recipients: Sequence[str], *,
               conn_id: str = DEFAULT_CONN_ID) -> Delivery:
    """Send an outbox `.eml` by SMTP to `recipients`, as written (same Message-ID, body and
    attachments); only From (the connection's sender) and Date (now) are renewed."""
    from email import message_from_bytes

    rcpt = _addresses(recipients)
    if not rcpt:
        raise EmailError("el correo no tiene destinatarios")
    hook_cls = _smtp_hook_class()
    if hook_cls is None or not smtp_configured(conn_id):
        raise EmailError(f"SMTP no configurado: defina la conexión de Airflow {conn_id!r}")
    try:
        msg = message_from_bytes(Path(path).read_bytes(), policy=policy.SMTP)
    except OSError as exc:
        raise EmailError(f"{path}: no se puede leer el correo de la bandeja ({exc})") from exc
    now = datetime.now(UTC)
    with hook_cls(conn_id) as hook:
        sender = hook.from_email or os.environ.get(FROM_ENV) or str(msg["From"] or "")
        if not sender:
            raise EmailError(f"la conexión {conn_id!r} no define 'from_email' en extra")
        client = getattr(hook, "_smtp_client", None)
        if client is None or not hasattr(client, "send_message"):
            raise EmailError("el proveedor SMTP de Airflow no expone su cliente: no se puede "
                             "reenviar un correo guardado")
        for header, value in (("From", sender), ("Date", format_datetime(now))):
            del msg[header]
            msg[header] = value
        refused = client.send_message(msg, from_addr=sender, to_addrs=rcpt)
        if refused:
            log.warning("el servidor SMTP rechazó a %s", sorted(refused))
        where = f"smtp://{hook.host}:{hook.port}" if hook.port else f"smtp://{hook.host}"
    return Delivery("smtp", where, datetime.now(UTC), str(msg["Message-ID"] or ""),
                    tuple(r for r in rcpt if r not in (refused or {})),
                    str(msg["Subject"] or ""))


def send_public(hook, rcpt_to: list[str], rcpt_cc: list[str], subject: str, html_body: str,
                attachments: Sequence[Path], *, from_addr: str,
                message_id: str | None) -> None:
    """Send with `SmtpHook.send_email_smtp` (the documented API; no plain-text part)."""
    hook.send_email_smtp(to=rcpt_to, cc=rcpt_cc or None, subject=subject,
                         html_content=html_body, from_email=from_addr,
                         files=[str(p) for p in attachments],
                         custom_headers={"Message-ID": message_id} if message_id else None)


def write_eml(msg: EmailMessage, folder: Path, *, now: datetime | None = None) -> Path:
    """Write the message atomically as `<UTC time>_<id>.eml`; every send gets its own file."""
    from pulso.core.paths import PRIVATE_FILE_MODE, private_dir

    private_dir(folder)
    now = now or datetime.now(UTC)
    local = (msg["Message-ID"] or "sin-id").strip().strip("<>").split("@")[0]
    ident = re.sub(r"[^A-Za-z0-9.-]+", "-", local)[:120]
    path = folder / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}_{ident}.eml"
    tmp = path.with_suffix(".eml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)  # personal data
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fh.fileno(), PRIVATE_FILE_MODE)  # also when a stale .tmp was there
        fh.write(msg.as_bytes(policy=policy.SMTP))
    os.replace(tmp, path)
    return path

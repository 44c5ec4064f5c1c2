"""E-mail delivery retries (tenacity): transient errors retried, EmailError never, last re-raised."""

from __future__ import annotations

import logging
import smtplib

import pytest

from pulso.delivery import EmailError, send_with_retries


def _flaky(failures: list[Exception], result: str = "ok"):
    calls: list[int] = []

    def send() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return result

    return send, calls


def test_transient_errors_are_retried_until_success(caplog):
    send, calls = _flaky([smtplib.SMTPServerDisconnected("bye"), ConnectionResetError("rst")])
    with caplog.at_level(logging.WARNING, logger="pulso.delivery"):
        assert send_with_retries(send, attempts=3, backoff=0, what="el informe") == "ok"
    assert len(calls) == 3
    assert "intento 1/3" in caplog.text and "intento 2/3" in caplog.text


def test_the_last_error_is_raised_after_the_last_attempt():
    send, calls = _flaky([OSError("a"), OSError("b"), OSError("c")])
    with pytest.raises(OSError, match="c"):
        send_with_retries(send, attempts=3, backoff=0)
    assert len(calls) == 3


def test_email_errors_are_not_retried():
    send, calls = _flaky([EmailError("direcciones de correo no válidas")])
    with pytest.raises(EmailError):
        send_with_retries(send, attempts=5, backoff=0)
    assert len(calls) == 1

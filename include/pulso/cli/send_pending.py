"""`pulso send-pending [--period P] [--kind K]`: send by SMTP the reports left in the outbox.

A report delivered while `smtp_default` did not exist was only written to `var/outbox/` as an
`.eml`: nobody received it. Once SMTP is configured this command sends those copies (as they
were written) to the recipients who have no SMTP delivery yet, and logs each attempt.
Exit codes: 0 all sent (or nothing pending), 2 bad input / no SMTP / no warehouse, 4 a send failed.
"""

from __future__ import annotations

import argparse
import sys

OK, BAD_INPUT, NOT_SENT = 0, 2, 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pulso.reports.runner import EMAILED

    parser.add_argument("--period", default=None,
                        help="solo este periodo (AAAA-MM o AAAA-S1/S2); por defecto todos")
    parser.add_argument("--kind", choices=sorted(EMAILED), default=None,
                        help="solo este informe; por defecto todos los que se envían por correo")


def _fail(msg: str, code: int = BAD_INPUT) -> int:
    print(f"pulso send-pending: {msg}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from pulso.context import WarehouseMissing, get_context
    from pulso.core.config import ConfigError
    from pulso.core.periods import PeriodError, parse_period
    from pulso.delivery import smtp_configured
    from pulso.reports.runner import send_pending

    period_key = None
    if args.period:
        try:
            period_key = parse_period(args.period).key
        except PeriodError as exc:
            return _fail(f"--period {args.period}: {exc}")
    try:
        ctx = get_context()
        engine = ctx.engine(create=False)
    except (ConfigError, WarehouseMissing) as exc:
        return _fail(str(exc))
    conn_id = ctx.smtp_conn_id
    if not smtp_configured(conn_id):
        return _fail(f"SMTP no configurado: defina la conexión de Airflow {conn_id!r} "
                     f"(p. ej. AIRFLOW_CONN_SMTP_DEFAULT); los correos siguen en "
                     f"{ctx.paths.outbox}")
    results = send_pending(engine, kinds=[args.kind] if args.kind else None,
                           period_key=period_key, conn_id=conn_id)
    if not results:
        print("No hay envíos pendientes: todo lo que quedó en la bandeja ya se envió por SMTP.")
        return OK
    for r in results:
        who = ", ".join(r.recipients)
        if r.status == "sent":
            print(f"{r.kind} {r.period}: enviado por SMTP ({r.detail}) a {who}")
        else:
            print(f"{r.kind} {r.period}: envío fallido a {who}: {r.detail}")
    return NOT_SENT if any(r.status != "sent" for r in results) else OK

"""`pulso report --period 2026-10|2026-S1`: build a period's reports and deliver them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pulso.core.vocab import MONTHLY_REPORTS as MONTHLY
from pulso.core.vocab import SEMESTRAL_REPORTS as SEMESTRAL

# exit codes
OK, BAD_INPUT, INCOMPLETE, NOT_SENT = 0, 2, 3, 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", required=True,
                        help="mes AAAA-MM (p. ej. 2026-10) o semestre AAAA-S1 / AAAA-S2")
    parser.add_argument("--only", default=None,
                        help=f"informes separados por coma; mensual: {','.join(MONTHLY)}; "
                             f"semestral: {','.join(SEMESTRAL)} (por defecto todos los del periodo)")
    parser.add_argument("--no-email", action="store_true", help="no enviar correos")
    parser.add_argument("--to", default=None,
                        help="destinatarios en lugar de los configurados (a@b.co,c@d.co)")
    parser.add_argument("--force-send", action="store_true",
                        help="reenviar aunque el informe del periodo ya se haya enviado")
    parser.add_argument("--allow-incomplete", action="store_true",
                        help="generar aunque falten días de ingesta")
    parser.add_argument("--out", type=Path, default=None,
                        help="carpeta de salida (por defecto PULSO_REPORTS_DIR o var/reports)")


def _fail(msg: str, code: int = BAD_INPUT) -> int:
    print(f"pulso report: {msg}", file=sys.stderr)
    return code


def _parse_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]


def run(args: argparse.Namespace) -> int:
    from pulso.core.config import ConfigError
    from pulso.core.periods import PeriodError, parse_period
    from pulso.ingest.completeness import IncompleteIngestion

    try:
        period = parse_period(args.period)
    except PeriodError as exc:
        return _fail(f"--period {args.period}: {exc}")
    allowed = MONTHLY if period.kind == "month" else SEMESTRAL
    kinds = _parse_list(args.only) or list(allowed)
    wrong = [k for k in kinds if k not in allowed]
    if wrong:
        return _fail(f"--only {','.join(wrong)}: no aplica a un periodo "
                     f"{'mensual' if period.kind == 'month' else 'semestral'}; "
                     f"use {','.join(allowed)}")
    to = _parse_list(args.to) or None
    bad = [a for a in to or [] if "@" not in a or " " in a]
    if bad:
        return _fail(f"--to: no son correos válidos: {', '.join(bad)}")
    from pulso.context import WarehouseMissing, get_context
    from pulso.reports.runner import DeliveryError, run_reports

    try:
        ctx = get_context()
        config = ctx.config
        engine = ctx.engine(create=False)
    except (ConfigError, WarehouseMissing) as exc:
        return _fail(str(exc))

    try:
        runs = run_reports(engine, config, period, kinds=kinds,
                           out_dir=args.out or ctx.paths.reports, send_email=not args.no_email,
                           recipients_override=to, force_send=args.force_send,
                           run_id="cli", require_complete=not args.allow_incomplete)
    except IncompleteIngestion as exc:
        return _fail(str(exc), INCOMPLETE)
    except DeliveryError as exc:
        _print_runs(exc.runs)
        return _fail(str(exc), NOT_SENT)
    _print_runs(runs)
    return OK


_STATUS = {
    "already_sent": "ya enviado el {sent_at}; no se reenvía (use --force-send)",
    "in_outbox": "en la bandeja local, pendiente de envío (pulso send-pending con SMTP)",
    "no_recipients": "sin destinatarios configurados; no se envía",
    "not_requested": "sin envío",
    "failed": "envío fallido: {error}",
}


def _print_runs(runs) -> None:
    for r in runs:
        print(f"{r.kind} {r.period}  sha256={r.checksum[:12]}")
        for p in r.files:
            print(f"  {p}")
        if r.send_status == "sent" and r.delivery is not None:
            d = r.delivery
            how = "SMTP" if d.method == "smtp" else "bandeja local"
            print(f"  enviado por {how} ({d.location}) a {', '.join(d.recipients)}")
        else:
            print("  " + _STATUS.get(r.send_status, r.send_status).format(
                sent_at=r.sent_at.isoformat() if r.sent_at else "", error=r.error))

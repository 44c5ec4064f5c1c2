"""A corpus of malformed inputs: each gives a clear error or a rejected row, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulso.core.config import ConfigError, load_config
from pulso.core.periods import PeriodError, parse_period
from pulso.warehouse.validate import validate_rows

GOOD_CONFIG = (Path(__file__).resolve().parents[2] / "pulso.yaml").read_text(encoding="utf-8")
assert "source: demo, conn_id: meta_facebook}" in GOOD_CONFIG  # the corpus edits need it

# (description, file content, words the error must contain)
BAD_CONFIGS = [
    ("empty file", "", ["expected a mapping"]),
    ("a list", "- a\n- b\n", ["expected a mapping"]),
    ("broken yaml", "entity: {name: [unclosed\n", ["invalid YAML"]),
    ("no entity", "accounts: []\n", ["entity"]),
    ("unknown network", GOOD_CONFIG.replace("network: tiktok", "network: myspace"), ["network"]),
    ("unknown source", GOOD_CONFIG.replace("source: demo,", "source: ftp,", 1), ["source"]),
    ("api without conn", GOOD_CONFIG.replace("source: demo, conn_id: meta_facebook}",
                                             "source: api}", 1), ["conn_id"]),
    ("typo in key", GOOD_CONFIG.replace("recipients:", "recipiants:"), ["recipiants"]),
    ("bad e-mail", GOOD_CONFIG.replace("atencion.ciudadania@cvc.example.gov.co]",
                                       "atencion ciudadania]", 1), ["e-mail"]),
    ("bad close time", GOOD_CONFIG.replace('close_time: "17:00"', 'close_time: "5 pm"'),
     ["close_time"]),
    ("bad closed day", GOOD_CONFIG.replace("extra_closed_days: []",
                                           'extra_closed_days: ["2026-02-30"]'),
     ["extra_closed_days"]),
    ("duplicate account", GOOD_CONFIG.replace("network: instagram, handle: cvc.bogota,    native_id: \"17841400000000\"",
                                              "network: facebook, handle: x, native_id: \"104857600123\""),
     ["duplicate account"]),
    ("negative retention", GOOD_CONFIG.replace("message_text_months: 24",
                                               "message_text_months: -1"), ["message_text_months"]),
    ("demo end before start", GOOD_CONFIG.replace("end: 2026-06-30", "end: 2025-06-30"),
     ["end is before start"]),
    ("no accounts", GOOD_CONFIG.split("accounts:")[0] + "accounts: []\n", ["accounts"]),
    ("binary junk", "\x00\x01\x02\xff", ["invalid YAML"]),
]


@pytest.mark.parametrize("name,content,words", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_fails_fast_naming_the_key(name, content, words, tmp_path, ledger) -> None:
    path = tmp_path / "pulso.yaml"
    path.write_bytes(content.encode("utf-8", "surrogateescape") if isinstance(content, str)
                     else content)
    ledger["malformed_inputs"] += 1
    with pytest.raises(ConfigError) as err:
        load_config(path)
    msg = str(err.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, msg
    ledger["malformed_handled"] += 1


def test_missing_config_file_is_named(tmp_path, ledger) -> None:
    ledger["malformed_inputs"] += 1
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "nope.yaml")
    ledger["malformed_handled"] += 1


BAD_PERIODS = ["", "2026", "2026-13", "2026-00", "26-10", "2026/10", "octubre", "2026-S3",
               "2026-S", "2026-10-01", "２０２６-10", "2026-1", "'; DROP TABLE report_run;--"]


@pytest.mark.parametrize("value", BAD_PERIODS)
def test_bad_period_param_gets_clear_error(value, ledger) -> None:
    ledger["malformed_inputs"] += 1
    with pytest.raises(PeriodError, match="YYYY-MM"):
        parse_period(value)
    ledger["malformed_handled"] += 1


BAD_DATE_PARAMS = [("ayer", None), ("2026-02-30", None), ("2026-03-10", "2026-03-01"),
                   ("1990-01-01", "2026-01-01"), (None, "01/03/2026")]


@pytest.mark.parametrize("start,end", BAD_DATE_PARAMS)
def test_bad_ingest_date_params(start, end, ledger) -> None:
    from pulso.orchestration.runtime import days_for_run

    ledger["malformed_inputs"] += 1
    with pytest.raises(ValueError) as err:
        days_for_run(datetime(2026, 3, 1, tzinfo=UTC), start, end, ZoneInfo("America/Bogota"))
    assert "start" in str(err.value) or "end" in str(err.value)
    ledger["malformed_handled"] += 1


BAD_RECIPIENTS = ["no-es-correo", "a@b.co, mal correo", "@", "a@b.co;;x"]


@pytest.mark.parametrize("value", BAD_RECIPIENTS)
def test_bad_recipients_param(value, ledger) -> None:
    from pulso.orchestration.reports import ParamsError, parse_recipients

    ledger["malformed_inputs"] += 1
    with pytest.raises(ParamsError, match="Destinatarios"):
        parse_recipients(value)
    ledger["malformed_handled"] += 1


_scalar = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True), st.booleans(),
                    st.datetimes(timezones=st.just(UTC)), st.dates())


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({
    "message_id": _scalar, "account_id": _scalar, "network": _scalar, "kind": _scalar,
    "created_at": _scalar, "text": _scalar, "is_own": _scalar, "responded_at": _scalar,
}), min_size=1, max_size=5))
def test_any_message_row_is_loaded_or_rejected_with_reason(ledger, rows) -> None:
    """Property: every row is either valid (typed) or a reject naming its field."""
    ledger["malformed_inputs"] += len(rows)
    out = validate_rows("message", [dict(r, source="fuzz") for r in rows], source="fuzz",
                        file="fuzz.csv")
    assert len(out.rows) + len(out.rejects) == len(rows)
    for rej in out.rejects:
        assert rej.field and rej.reason.startswith("message.") and rej.file == "fuzz.csv"
        assert rej.row is not None
    for good in out.rows:
        assert isinstance(good["message_id"], str) and isinstance(good["created_at"], datetime)
        assert good["created_at"].tzinfo is not None
    ledger["malformed_handled"] += len(rows)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40))
def test_any_period_string_parses_or_says_why(ledger, value) -> None:
    ledger["malformed_inputs"] += 1
    try:
        p = parse_period(value)
    except PeriodError as exc:
        assert "YYYY-MM" in str(exc)
    else:
        assert p.start <= p.end
    ledger["malformed_handled"] += 1

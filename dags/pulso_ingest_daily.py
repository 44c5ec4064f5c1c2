"""
### Ingesta diaria de redes sociales

Carga cada día, por cada cuenta configurada en `pulso.yaml`, las **estadísticas diarias**
(seguidores, alcance, visualizaciones, interacciones), las **publicaciones** y los
**mensajes entrantes** (comentarios, respuestas, menciones, mensajes directos) en la bodega
de datos, y luego **clasifica** los mensajes nuevos (sentimiento y posibles PQRS con su
fecha de vencimiento legal).

* Se ejecuta a las 06:00 (hora de Bogotá) y carga el **día anterior**.
* Una tarea por cuenta: si una cuenta falla (por ejemplo, un token vencido), las demás
  cargan igual y el error dice qué cuenta y qué hacer.
* Para una **carga histórica**, lance el DAG a mano con los parámetros *Desde* y *Hasta*.
* Es idempotente: repetir un día no duplica nada.
* También procesa los archivos exportados que los analistas dejan en la bandeja de
  exportaciones (`exports_inbox`).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, task

from pulso.orchestration.defaults import (
    ASSET_ACCOUNT_DAILY,
    ASSET_LABELS,
    ASSET_MESSAGES,
    ASSET_POSTS,
    DEFAULT_ARGS,
    START_DATE,
    TIMEZONE,
)


@dag(
    dag_id="pulso_ingest_daily",
    schedule=CronTriggerTimetable("0 6 * * *", timezone=TIMEZONE, interval=timedelta(days=1)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "ingesta"],
    doc_md=__doc__,
    params={
        "start": Param(None, type=["null", "string"], format="date", title="Desde",
                       pattern=r"^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                       description="Primer día a cargar (AAAA-MM-DD). Vacío: el día anterior."),
        "end": Param(None, type=["null", "string"], format="date", title="Hasta",
                     pattern=r"^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                     description="Último día a cargar (AAAA-MM-DD). Vacío: igual a «Desde»."),
    },
)
def pulso_ingest_daily():
    @task
    def plan(params=None, data_interval_end=None) -> dict:
        """Which days and which accounts this run loads."""
        from pulso.orchestration.ingest import plan

        return plan(params, data_interval_end)

    @task
    def account_ids(p: dict) -> list[str]:
        return p["accounts"]

    @task(outlets=[Asset(ASSET_ACCOUNT_DAILY), Asset(ASSET_POSTS), Asset(ASSET_MESSAGES)],
          map_index_template="{{ task.op_kwargs['account_id'] }}")
    def ingest_account(account_id: str, p: dict) -> dict:
        """Fetch and load one account's days (one transaction per day)."""
        from pulso.orchestration.ingest import ingest_account

        return ingest_account(account_id, p)

    @task(outlets=[Asset(ASSET_ACCOUNT_DAILY), Asset(ASSET_POSTS)])
    def load_exports() -> list[dict]:
        """Load the export files dropped in the inbox folder."""
        from pulso.orchestration.ingest import load_exports

        return load_exports()

    @task(outlets=[Asset(ASSET_LABELS)], trigger_rule="all_done")
    def classify(p: dict) -> dict:
        """Label the new messages (sentiment, PQRS) and open PQRS cases."""
        from pulso.orchestration.ingest import classify

        return classify(p)

    @task
    def check(loaded: list[dict], exports: list[dict], labels: dict) -> dict:
        """Fail the run if any account failed, after the others were loaded and classified."""
        return {"accounts": len(loaded), "exports": len(exports), **labels}

    p = plan()
    loaded = ingest_account.partial(p=p).expand(account_id=account_ids(p))
    exports = load_exports()
    labels = classify(p)
    [loaded, exports] >> labels
    check(loaded, exports, labels)


pulso_ingest_daily()

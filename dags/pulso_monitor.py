"""
### Monitoreo diario

Cada mañana revisa la bodega y envía **un solo correo de alertas** a los destinatarios de
monitoreo (no envía nada si no hay nada que decir):

* PQRS **vencidas** o que vencen en **2 días hábiles** o menos, y candidatas a PQRS que
  llevan más de **1 día hábil sin revisar**;
* mensajes **sin respuesta** y mediana del tiempo de primera respuesta por red;
* **picos** de mensajes o de mensajes negativos en una cuenta frente a sus últimos 28 días
  (alerta cuando el día supera el promedio en 3 desviaciones estándar y tiene al menos 10
  mensajes; ajustable en `pulso.yaml`, sección `monitor`), con los mensajes que lo causaron;
* **credenciales**: contraseñas que cumplen 90 días (aviso 14 días antes) y tokens por vencer.

También aplica la **política de retención**: anonimiza los textos de mensajes más antiguos
que el plazo configurado (`retention.message_text_months`), conservando etiquetas y conteos.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from pulso.orchestration.defaults import DEFAULT_ARGS, START_DATE, TIMEZONE


@dag(
    dag_id="pulso_monitor",
    schedule=CronTriggerTimetable("30 7 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "monitoreo"],
    doc_md=__doc__,
    params={
        "day": Param(None, type=["null", "string"], title="Día",
                     description="Día a revisar (AAAA-MM-DD). Vacío: hoy (hora de Bogotá).",
                     pattern=r"^(20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"),
    },
)
def pulso_monitor():
    @task
    def digest(params=None, run_id=None) -> dict:
        """Build the day's digest and e-mail it once (nothing when there is nothing to say)."""
        from pulso.orchestration.monitor import daily_digest

        return daily_digest(params, run_id)

    @task
    def retention() -> dict:
        """Anonymise message texts older than the retention period."""
        from pulso.orchestration.monitor import retention

        return retention()

    digest()
    retention()


pulso_monitor()

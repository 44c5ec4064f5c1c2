"""
### Informes mensuales de redes sociales

Genera, para el **mes anterior**, los tres informes mensuales en Excel y PDF:

1. **Informe mensual de gestión de redes** (crecimiento, alcance, interacciones, mejores
   horarios para publicar);
2. **Informe de análisis de sentimientos**;
3. **Informe de PQRS – canal virtual redes sociales**, que se **envía por correo** a la
   oficina de Atención a la Ciudadanía con el Excel y el PDF adjuntos.

* Corre el día 1 de cada mes a las 06:00 (hora de Bogotá).
* Para generar otro mes, lance el DAG a mano y escriba el **Periodo** (p. ej. `2026-10`);
  si lo deja vacío se informa el último mes completo. También admite *backfill*.
* Antes de generar, verifica que la ingesta del mes esté completa y, si faltan días, falla
  indicando cuáles.
* Repetir un mes reemplaza sus archivos y **no** reenvía el correo, salvo que marque
  *Reenviar*.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task
from dateutil.relativedelta import relativedelta

from pulso.orchestration.defaults import DEFAULT_ARGS, START_DATE, TIMEZONE

MONTHLY_REPORTS = ["growth", "sentiment", "pqrs"]


@dag(
    dag_id="pulso_report_monthly",
    schedule=CronTriggerTimetable("0 6 1 * *", timezone=TIMEZONE, interval=relativedelta(months=1)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=2,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "informes"],
    doc_md=__doc__,
    params={
        "period": Param(None, type=["null", "string"], title="Periodo",
                        description="Mes a informar, AAAA-MM (p. ej. 2026-10). "
                                    "Vacío: el último mes completo.",
                        pattern=r"^(20\d{2}-(0[1-9]|1[0-2]))?$"),
        "reports": Param(MONTHLY_REPORTS, type="array", title="Informes",
                         description="Informes a generar.",
                         items={"type": "string", "enum": MONTHLY_REPORTS},
                         examples=MONTHLY_REPORTS,
                         values_display={"growth": "Gestión de redes (crecimiento)",
                                         "sentiment": "Análisis de sentimientos",
                                         "pqrs": "PQRS – canal redes sociales"}),
        "recipients": Param(None, type=["null", "string"], title="Destinatarios (opcional)",
                            description="Correos separados por coma que reemplazan a los "
                                        "de la configuración para el informe de PQRS."),
        "send_email": Param(True, type="boolean", title="Enviar correo",
                            description="Enviar el informe de PQRS por correo."),
        "force_send": Param(False, type="boolean", title="Reenviar",
                            description="Enviar de nuevo aunque este mes ya se haya enviado."),
    },
)
def pulso_report_monthly():
    @task
    def resolve_period(params=None, dag_run=None, data_interval_start=None) -> str:
        """The month this run reports, checked for complete ingestion."""
        from pulso.orchestration.reports import resolve_and_check

        return resolve_and_check("month", params, dag_run, data_interval_start)

    @task
    def selected(params=None) -> list[str]:
        from pulso.orchestration.reports import selected_reports

        return selected_reports(params, MONTHLY_REPORTS)

    @task(map_index_template="{{ task.op_kwargs['kind'] }}")
    def render_and_deliver(kind: str, period: str, params=None, run_id=None) -> dict:
        """Render one report (Excel + PDF) and, for PQRS, e-mail it, in the same task."""
        from pulso.orchestration.reports import render_and_deliver as run

        return run(kind, period, params, run_id)

    period = resolve_period()
    render_and_deliver.partial(period=period).expand(kind=selected())


pulso_report_monthly()

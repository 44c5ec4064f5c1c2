"""
### Informe semestral de redes sociales (para la dirección)

Genera el **informe semestral** en Excel y PDF: cuántas redes y cuentas tiene la entidad,
cuáles tienen más impacto (con el criterio del ranking), cuáles crecen o están estancadas,
si alguna parece obsoleta (con la evidencia), el panorama de PQRS y sentimiento del
semestre, y recomendaciones derivadas de los datos. Se envía a los destinatarios de
dirección configurados.

* Corre el 1 de enero y el 1 de julio a las 06:00 (hora de Bogotá) e informa el semestre
  anterior.
* Para otro semestre, lance el DAG a mano con el **Periodo** (`2026-S1` o `2026-S2`);
  vacío: el último semestre completo.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task
from dateutil.relativedelta import relativedelta

from pulso.orchestration.defaults import DEFAULT_ARGS, START_DATE, TIMEZONE


@dag(
    dag_id="pulso_report_semestral",
    schedule=CronTriggerTimetable("0 6 1 1,7 *", timezone=TIMEZONE,
                                  interval=relativedelta(months=6)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "informes"],
    doc_md=__doc__,
    params={
        "period": Param(None, type=["null", "string"], title="Periodo",
                        description="Semestre a informar: AAAA-S1 o AAAA-S2 (p. ej. 2026-S1). "
                                    "Vacío: el último semestre completo.",
                        pattern=r"^(20\d{2}-[Ss][12])?$"),
        "recipients": Param(None, type=["null", "string"], title="Destinatarios (opcional)",
                            description="Correos separados por coma que reemplazan a los "
                                        "de la configuración."),
        "send_email": Param(True, type="boolean", title="Enviar correo",
                            description="Enviar el informe por correo a la dirección."),
        "force_send": Param(False, type="boolean", title="Reenviar",
                            description="Enviar de nuevo aunque ya se haya enviado."),
    },
)
def pulso_report_semestral():
    @task
    def resolve_period(params=None, dag_run=None, data_interval_start=None) -> str:
        """The semester this run reports, checked for complete ingestion."""
        from pulso.orchestration.reports import resolve_and_check

        return resolve_and_check("semester", params, dag_run, data_interval_start)

    @task
    def render_and_deliver(period: str, params=None, run_id=None) -> dict:
        """Render the semestral report (Excel + PDF) and e-mail it to leadership."""
        from pulso.orchestration.reports import render_and_deliver as run

        return run("semestral", period, params, run_id)

    render_and_deliver(resolve_period())


pulso_report_semestral()

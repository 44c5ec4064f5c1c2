"""
### Informe de campaña (cierre de una estrategia de divulgación)

Genera el **informe de una campaña** en Excel y PDF: periodo de divulgación, cada
publicación con su enlace (la evidencia), alcance, interacciones y tasa de interacción por
alcance, por red y en total, y los mensajes y PQRS que generó la campaña.

* Corre todos los días a las 06:30 (hora de Bogotá) y genera el informe de las campañas cuya
  última publicación fue hace dos días (el cierre con evidencias que pide el procedimiento).
* Para una campaña concreta, lance el DAG a mano y escriba su **Campaña** tal como aparece en
  las publicaciones (p. ej. `Rendición de cuentas 2026`).
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from pulso.orchestration.defaults import DEFAULT_ARGS, START_DATE, TIMEZONE


@dag(
    dag_id="pulso_report_campaign",
    schedule=CronTriggerTimetable("30 6 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "informes"],
    doc_md=__doc__,
    params={
        "campaign": Param(None, type=["null", "string"], title="Campaña",
                          description="Nombre de la campaña tal como está en las "
                                      "publicaciones. Vacío: las campañas que cerraron hoy "
                                      "(última publicación hace dos días)."),
    },
)
def pulso_report_campaign():
    @task
    def campaigns(params=None) -> list[str]:
        """The campaigns to report: the one asked for, or those closing today."""
        from pulso.reports.campaign import campaigns_to_report

        return campaigns_to_report(params)

    @task(map_index_template="{{ task.op_kwargs['name'] }}")
    def render(name: str, run_id=None) -> dict:
        """Render one campaign's report (Excel + PDF) and record it."""
        from pulso.reports.campaign import render_campaign

        return render_campaign(name, run_id)

    render.expand(name=campaigns())


pulso_report_campaign()

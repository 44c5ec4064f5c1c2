"""
### Aprendizaje del modelo PQRS de la entidad

Cada domingo entrena un **modelo PQRS propio** con las decisiones de la oficina de atención a la
ciudadanía (confirmar, cambiar tipo o descartar en *Revisión PQRS*, y los registros de casos
devueltos). Guarda cada versión con su F1 macro en validación cruzada y la **activa solo si
supera al modelo de Pulso** en las etiquetas de la entidad; la clasificación diaria usa el
modelo activo. Volver atrás: `pulso train --rollback`.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, dag, task

from pulso.orchestration.defaults import DEFAULT_ARGS, START_DATE, TIMEZONE


@dag(
    dag_id="pulso_train",
    schedule=CronTriggerTimetable("0 4 * * 0", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pulso", "pqrs"],
    doc_md=__doc__,
)
def pulso_train():
    @task
    def train_entity_model() -> dict:
        """Fit, cross-validate and store the entity's model; activate it only if it is better."""
        from pulso.classify.registry import scheduled_train

        return scheduled_train()

    train_entity_model()


pulso_train()

# Pulso on the official Airflow image: same image for api-server, scheduler, dag-processor,
# triggerer and Celery workers (docker-compose), or for the Helm chart (KubernetesExecutor).
FROM apache/airflow:3.3.2-python3.11

# WeasyPrint renders PDFs with Pango; fonts with Spanish glyphs for the reports.
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core fonts-noto-color-emoji \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
USER airflow

# Dependencies pinned with apache-airflow==3.3.2 so pip never moves Airflow itself.
COPY --chown=airflow:root requirements.txt /opt/pulso/requirements.txt
RUN pip install --no-cache-dir "apache-airflow==3.3.2" -r /opt/pulso/requirements.txt

# The pulso library (package-dir include/), then DAGs, templates, SQL and the UI plugin.
COPY --chown=airflow:root pyproject.toml pulso.yaml /opt/pulso/
COPY --chown=airflow:root include/ /opt/pulso/include/
RUN pip install --no-cache-dir --no-deps -e /opt/pulso
COPY --chown=airflow:root dags/ /opt/airflow/dags/
COPY --chown=airflow:root plugins/ /opt/airflow/plugins/

ENV PULSO_CONFIG=/opt/pulso/pulso.yaml \
    PULSO_HOME=/opt/airflow/pulso-data \
    PULSO_REPORTS_DIR=/opt/airflow/pulso-data/reports

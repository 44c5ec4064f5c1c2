"""The deployment files agree with the project (Docker cannot run on this machine)."""

from __future__ import annotations

import re

import yaml

from pulso.core.paths import PROJECT_ROOT


def test_requirements_pin_every_dependency_with_airflow_first() -> None:
    lines = [ln.strip() for ln in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines[0] == "apache-airflow==3.3.2"
    assert all(re.match(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*$", ln) for ln in lines), lines


def test_dockerfile_extends_official_image_and_runs_as_airflow() -> None:
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    assert text.startswith("# ") and "FROM apache/airflow:3.3.2-python3.11" in text
    assert re.findall(r"^USER (\w+)", text, re.M)[-1] == "airflow"
    for path in ("dags/", "include/", "plugins/", "requirements.txt"):
        assert path in text
    assert '"apache-airflow==3.3.2" -r' in text


def test_compose_runs_celery_with_redis_and_postgres() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yaml").read_text())
    services = compose["services"]
    for name in ("postgres", "redis", "airflow-apiserver", "airflow-scheduler",
                 "airflow-dag-processor", "airflow-triggerer", "airflow-worker"):
        assert name in services, name
    env = services["airflow-worker"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis")
    assert "pulso-data:/opt/airflow/pulso-data" in services["airflow-worker"]["volumes"]
    assert services["airflow-worker"]["command"] == "celery worker"

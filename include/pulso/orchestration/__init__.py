"""Airflow glue: DAG defaults and the bodies of every DAG task."""

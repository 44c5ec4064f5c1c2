"""Developer tooling: local Airflow, the demo runner."""

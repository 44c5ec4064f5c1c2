"""Pages of the Airflow UI plugin."""

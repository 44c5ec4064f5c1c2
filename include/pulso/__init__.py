"""Pulso: social-media reporting for Colombian public entities.

The library holds all the logic; Airflow DAGs only wire it together, so every piece
can be imported and tested without Airflow.
"""

__version__ = "0.1.0"

"""Every DAG imports cleanly, quickly, and carries owner, tags, retries and docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulso.core.paths import PROJECT_ROOT

DAG_FILES = sorted(p for p in (PROJECT_ROOT / "dags").glob("*.py") if not p.name.startswith("_"))
HEAVY = ("pandas", "matplotlib", "weasyprint", "openpyxl", "httpx")


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False)


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert {Path(d.fileloc).name for d in dagbag.dags.values()} == {p.name for p in DAG_FILES}


def test_expected_dags_present(dagbag) -> None:
    assert {"pulso_ingest_daily", "pulso_report_monthly", "pulso_report_semestral"} <= set(dagbag.dags)


@pytest.mark.parametrize("attr", ["owner", "retries"])
def test_every_task_has_owner_and_retries(dagbag, attr: str) -> None:
    for dag in dagbag.dags.values():
        for t in dag.tasks:
            value = getattr(t, attr)
            assert value not in (None, "", "airflow", 0), f"{dag.dag_id}.{t.task_id} {attr}={value!r}"


def test_every_dag_has_tags_and_spanish_docs(dagbag) -> None:
    for dag in dagbag.dags.values():
        assert "pulso" in dag.tags, dag.dag_id
        assert dag.doc_md and len(dag.doc_md) > 200, dag.dag_id
        assert dag.doc_md.lstrip().startswith("###"), dag.dag_id


def test_params_have_spanish_titles_and_descriptions(dagbag) -> None:
    for dag in dagbag.dags.values():
        for name in dag.params:
            p = dag.params.get_param(name)
            assert p.schema.get("title"), f"{dag.dag_id}.{name} has no title"
            assert p.description, f"{dag.dag_id}.{name} has no description"


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_has_no_heavy_top_level_imports(dag_file: Path) -> None:
    """Parse time is a feature: heavy libraries are imported inside tasks only."""
    import ast

    tree = ast.parse(dag_file.read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {a.name.split(".")[0] for n in top if isinstance(n, ast.Import) for a in n.names}
    names |= {(n.module or "").split(".")[0] for n in top if isinstance(n, ast.ImportFrom)}
    assert not names & set(HEAVY), f"{dag_file.name} imports {names & set(HEAVY)} at top level"


def test_report_schedules_have_intervals(dagbag) -> None:
    monthly = dagbag.dags["pulso_report_monthly"].timetable
    semestral = dagbag.dags["pulso_report_semestral"].timetable
    assert "relativedelta(months=+1)" in repr(monthly.interval) or monthly.interval.months == 1
    assert semestral.interval.months == 6


def test_schedules_run_on_the_entity_clock(dagbag) -> None:
    from pulso.core.config import get_config

    tz = get_config().entity.timezone
    for dag in dagbag.dags.values():
        assert str(dag.timetable.timezone) == tz, dag.dag_id

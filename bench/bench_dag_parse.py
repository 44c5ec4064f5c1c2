"""Parse time of each DAG file, as Airflow's own `airflow dags report` measures it.

A baseline DAG file (one empty task, only `airflow.sdk` imported) is parsed in the same run,
and each Pulso DAG is shown with its ratio to it. Target (issue 2): under 0.3 s per file.

    .venv/bin/python bench/bench_dag_parse.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "include"))

BASELINE = '''
from airflow.sdk import dag, task

@dag(dag_id="baseline_empty", schedule=None, tags=["bench"])
def baseline_empty():
    @task
    def noop():
        return None
    noop()

baseline_empty()
'''


def main() -> int:
    from pulso.dev.airflow_env import airflow_env

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dags"
        folder.mkdir()
        for f in (ROOT / "dags").glob("*.py"):
            shutil.copy(f, folder / f.name)
        (folder / "baseline_empty.py").write_text(BASELINE)
        env = airflow_env(Path(tmp) / "home")
        env["AIRFLOW__CORE__DAGS_FOLDER"] = str(folder)
        airflow = str(Path(sys.executable).with_name("airflow"))
        subprocess.run([airflow, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([airflow, "dags", "report", "-o", "json"], env=env, check=True,
                             capture_output=True, text=True).stdout
    rows = json.loads(out[out.index("[{"):])
    seconds = {Path(r["file"]).name: _seconds(r["duration"]) for r in rows}
    base = seconds.pop("baseline_empty.py")
    print("airflow dags report (one process; files parsed in turn):")
    print(f"  {'baseline_empty.py':<28} {base:.4f} s")
    worst = 0.0
    for name, s in sorted(seconds.items()):
        worst = max(worst, s)
        print(f"  {name:<28} {s:.4f} s  ratio to baseline {s / base:.1f}x  "
              f"{'OK' if s < 0.3 else 'OVER'} (target < 0.3 s)")
    print("cold parse, each file alone in a fresh interpreter (airflow.sdk already imported):")
    cold_base = _cold(ROOT / "bench" / "bench_dag_parse.py", baseline=True)
    print(f"  {'baseline_empty.py':<28} {cold_base:.4f} s")
    for f in sorted((ROOT / "dags").glob("*.py")):
        c = _cold(f)
        worst = max(worst, c)
        print(f"  {f.name:<28} {c:.4f} s  ratio to baseline {c / cold_base:.1f}x  "
              f"{'OK' if c < 0.3 else 'OVER'} (target < 0.3 s)")
    print(f"slowest: {worst:.4f} s")
    return 0 if worst < 0.3 else 1


def _seconds(value: str) -> float:
    h, m, s = str(value).split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


_COLD = """
import sys, time, runpy
import airflow.sdk  # noqa: F401  - the DAG processor has it loaded already
path = sys.argv[1]
t = time.perf_counter()
if sys.argv[2] == "baseline":
    exec(compile(BASELINE, "baseline", "exec"), {})
else:
    runpy.run_path(path)
print(time.perf_counter() - t)
"""


def _cold(path: Path, baseline: bool = False) -> float:
    code = f"BASELINE = {BASELINE!r}\n" + _COLD
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code, str(path),
                              "baseline" if baseline else "file"],
                             check=True, capture_output=True, text=True).stdout
        runs.append(float(out.strip().splitlines()[-1]))
    return min(runs)


if __name__ == "__main__":
    sys.exit(main())

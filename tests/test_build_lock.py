"""One warehouse builder: threads, processes and replicas that find the sources newer build once, under one lock,
and every other page view keeps the current warehouse with a calm notice instead of a database error."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, at_once, run_app

from ratc.core import keys
from ratc.ui import cache
from ratc.warehouse import builder as warehouse

# A replica in a process of its own: waits for the start signal, then calls the builder or opens the app as a
# browser would (AppTest runs app.py in this process). Every build is slowed down and counted, so the two really
# overlap and the test can count them.
REPLICA = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from ratc.warehouse import builder

    folder, name, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    write = builder._write

    def slow_write(*args):
        with open(folder / "builds.log", "a") as log:
            log.write(name + "\\n")
        (folder / f"building-{name}").touch()
        time.sleep(1.5)
        write(*args)

    builder._write = slow_write
    while not (folder / "go").exists():
        time.sleep(0.01)
    result = {}
    if mode == "refresh":
        result["outcome"] = builder.refresh().value
    else:
        from streamlit.testing.v1 import AppTest

        def visit():
            app = AppTest.from_file(str(Path(os.environ["RATC_ROOT"]) / "app.py"), default_timeout=60).run()
            return {"exceptions": [str(item.value) for item in app.exception],
                    "errors": [item.value for item in app.error], "warnings": [item.value for item in app.warning],
                    "infos": [item.value for item in app.info], "metrics": len(app.metric)}

        result["first"] = visit()
        (folder / f"done-{name}").touch()
        while len(list(folder.glob("done-*"))) < int(sys.argv[4]):
            time.sleep(0.05)
        result["second"] = visit()
    result["file"] = str(builder.current_file())
    print(json.dumps(result))
    """
)


@pytest.fixture
def stale(tmp_path, monkeypatch) -> tuple[Path, Path, Path]:
    """A private data/ with a built warehouse whose sources have since changed: (data, pointer, old file)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    pointer = tmp_path / "build" / "warehouse.duckdb"
    old = warehouse.build(data, pointer)
    domains = data / "domains.csv"
    domains.write_text(domains.read_text().replace("Gezondheid", "Gezondheid en zorg"))
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    monkeypatch.setenv("RATC_WAREHOUSE", str(pointer))
    monkeypatch.delenv(warehouse.BUILD_IN_APP_VARIABLE, raising=False)
    monkeypatch.delenv(keys.TRIAL, raising=False)  # a replica in production: no trial notice on the page
    assert not warehouse.is_current(data, pointer)
    return data, pointer, old


def start_replicas(folder: Path, mode: str, count: int = 2) -> list[subprocess.Popen]:
    """`count` replica processes in `mode` ('refresh' or 'app'), waiting for the start signal."""
    environment = {**os.environ, "RATC_ROOT": str(ROOT), "PYTHONPATH": str(ROOT)}
    return [
        subprocess.Popen([sys.executable, "-c", REPLICA, str(folder), f"r{number}", mode, str(count)], cwd=ROOT,
                         env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for number in range(count)
    ]  # fmt: skip


def results(processes: list[subprocess.Popen]) -> list[dict]:
    """What every replica printed; fails with its error output when one failed."""
    found = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err[-3000:]
        found.append(json.loads(out.strip().splitlines()[-1]))
    return found


def build_notices(infos) -> list[str]:
    """The warehouse notices among a page's info boxes (the trial mode of the tests adds one of its own)."""
    return [info for info in infos if info in (cache.BUILDING_ELSEWHERE, cache.NOT_BUILT_HERE)]


def assert_one_new_warehouse(data: Path, pointer: Path) -> None:
    """The pointer names a warehouse of the current sources, it is the only one, and no build left a file behind."""
    assert warehouse.built_fingerprint(pointer) == warehouse.fingerprint(data)
    assert [path.name for path in pointer.parent.glob("warehouse-*.duckdb")] == [warehouse.current_file(pointer).name]
    assert not list(pointer.parent.glob("*.tmp*")) and not list(pointer.parent.glob("*.link"))


def test_two_processes_that_find_the_sources_newer_build_once(stale, tmp_path):
    data, pointer, old = stale
    processes = start_replicas(tmp_path, "refresh")
    (tmp_path / "go").touch()
    found = results(processes)
    assert sorted(result["outcome"] for result in found) == ["built", "current"]
    assert len((tmp_path / "builds.log").read_text().split()) == 1
    assert {result["file"] for result in found} == {str(warehouse.current_file(pointer))}
    assert warehouse.current_file(pointer) != old
    assert_one_new_warehouse(data, pointer)


def test_a_replica_that_does_not_wait_keeps_the_current_warehouse_while_another_builds(stale, tmp_path):
    data, pointer, old = stale
    (builder,) = start_replicas(tmp_path, "refresh", count=1)
    (tmp_path / "go").touch()
    deadline = time.monotonic() + 60
    while not (tmp_path / "building-r0").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert warehouse.refresh(data, pointer, wait=False) is warehouse.Outcome.BUSY
    assert warehouse.current_file(pointer) == old  # still there and readable
    assert warehouse.refresh(data, pointer) is warehouse.Outcome.CURRENT  # waits for the build, does not repeat it
    assert results([builder])[0]["outcome"] == "built"
    assert_one_new_warehouse(data, pointer)


def test_sessions_of_one_replica_build_once(stale):
    data, pointer, _ = stale
    outcomes = []
    errors = at_once(lambda: outcomes.append(warehouse.refresh(data, pointer, wait=False)), [()] * 4)
    assert errors == []
    assert outcomes.count(warehouse.Outcome.BUILT) == 1
    assert set(outcomes) <= {warehouse.Outcome.BUILT, warehouse.Outcome.BUSY, warehouse.Outcome.CURRENT}
    assert_one_new_warehouse(data, pointer)


def test_two_app_replicas_build_once_and_show_no_error(stale, tmp_path):
    data, pointer, old = stale
    processes = start_replicas(tmp_path, "app")
    (tmp_path / "go").touch()
    found = results(processes)
    assert len((tmp_path / "builds.log").read_text().split()) == 1
    for result in found:
        for visit in (result["first"], result["second"]):
            assert visit["exceptions"] == [] and visit["errors"] == [] and visit["warnings"] == [], visit
            assert visit["metrics"] >= 20  # the overview, from the old or the new warehouse
        assert build_notices(result["second"]["infos"]) == []  # both end on the new warehouse, without a notice
        assert result["file"] == str(warehouse.current_file(pointer))
    # the replica that did not build showed the current warehouse with the calm notice
    assert sum(cache.BUILDING_ELSEWHERE in result["first"]["infos"] for result in found) == 1
    assert_one_new_warehouse(data, pointer)


def test_while_a_build_runs_a_page_view_shows_the_current_warehouse_with_a_notice(stale):
    data, pointer, old = stale
    with open(warehouse.lock_path(pointer), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another replica is building
        app = run_app(None)
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert build_notices(info.value for info in app.info) == [cache.BUILDING_ELSEWHERE]
    assert not app.warning and not app.error and len(app.metric) >= 20
    assert warehouse.current_file(pointer) == old
    app = run_app(None)  # the lock is free: this view builds, and shows no notice
    assert build_notices(info.value for info in app.info) == [] and not app.warning
    assert_one_new_warehouse(data, pointer)


@pytest.mark.parametrize("how", ["setting", "read-only folder"])
def test_a_replica_that_may_not_build_keeps_its_warehouse(stale, monkeypatch, how):
    data, pointer, old = stale
    if how == "setting":
        monkeypatch.setenv(warehouse.BUILD_IN_APP_VARIABLE, "0")
    else:
        monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert not warehouse.may_build_in_app(pointer)
    app = run_app(None)
    assert build_notices(info.value for info in app.info) == [cache.NOT_BUILT_HERE]
    assert not app.warning and not app.error and len(app.metric) >= 20
    assert warehouse.current_file(pointer) == old


def test_deploy_says_who_builds_as_the_code_does():
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert f"{warehouse.BUILD_IN_APP_VARIABLE}=0" in deploy and "python -m ratc build" in deploy
    assert warehouse.lock_path(Path("build/warehouse.duckdb")).name in deploy
    assert "rebuilds its own copy" not in deploy  # replicas never build in production

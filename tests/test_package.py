"""The package installs without the source tree: a wheel holds flows and transforms, and `qingxi run` works
from another folder with nothing but the installed files."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")  # a copy, so no build/ folder is left in (or read from) the worktree
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("flows", "transforms"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist)], check=True, cwd=src)
    (whl,) = dist.glob("qingxi-*.whl")
    return whl


def test_wheel_holds_the_package_and_not_the_dev_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {"flows", "transforms"} <= tops
    assert not tops & {"tools", "tests", "data"}
    assert "flows/io/schema.py" in names and "transforms/steps.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "qingxi = flows.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


@pytest.mark.usefixtures("prefect_server")
def test_installed_package_runs_from_another_folder(wheel, corpus, tmp_path):
    from prefect.settings import PREFECT_API_URL

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    # Only the installed copy is importable: the worktree is neither the cwd nor on the path.
    script = (f"import flows, sys; assert flows.__file__.startswith({str(site)!r}), flows.__file__; "
              "from flows.cli import main; sys.argv[0] = 'qingxi'; main()")  # the console script's entry
    env = {**os.environ, "PYTHONPATH": str(site), "PREFECT_API_URL": PREFECT_API_URL.value()}
    res = subprocess.run([sys.executable, "-c", script, "run", str(corpus), "--out", str(out)],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "docs in" in res.stdout  # the summary is flushed before the fast exit
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["kept"] > 0 and [s["step"] for s in manifest["recipe"]["steps"]][0] == "unicode"

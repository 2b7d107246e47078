"""A non-editable install works: the wheel carries cohorts/ and templates/ as package data and
the program finds them there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("kommunestyre-*.whl")
    return built


def test_wheel_contains_the_definition_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kommunestyre/_data/cohorts/programme.toml" in names
    for n in range(1, 5):
        assert f"kommunestyre/_data/cohorts/hold-{n}.toml" in names
    assert any(name.startswith("kommunestyre/_data/templates/") for name in names)
    assert "kommunestyre/domain/municipalities.csv" in names
    assert "kommunestyre/locale/da/LC_MESSAGES/kommunestyre.mo" in names  # the Danish words
    assert "kommunestyre/lists/fonts/DejaVuSans.ttf" in names  # PDFs print any name
    assert "kommunestyre/lists/fonts/LICENSE" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "kommunestyre = kommunestyre.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_unpacked_wheel_runs_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "KOMMUNESTYRE_LANG": "da"}
    env.pop("KOMMUNESTYRE_DB", None)
    db = tmp_path / "db.json"
    probe = "import kommunestyre.resources as r; print(r.cohorts_dir(), r.templates_dir())"
    where = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(site) in where and str(ROOT) not in where
    for args in (["init", "--db", str(db)], ["headcount", "--db", str(db), "--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "kommunestyre", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["cohorts"]) == 4
    help_text = subprocess.run(
        [sys.executable, "-m", "kommunestyre", "--help"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True,
    ).stdout  # fmt: skip
    assert help_text.startswith("brug: kommunestyre")  # the catalogue travelled in the wheel

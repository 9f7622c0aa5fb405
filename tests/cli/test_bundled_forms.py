"""Every bundled form lints clean and passes its own example cases."""

import subprocess
import sys
from pathlib import Path

import pytest

FORMS = sorted(p for p in (Path(__file__).resolve().parents[2] / "forms").iterdir() if (p / "form.json").exists())


@pytest.mark.parametrize("folder", FORMS, ids=[p.name for p in FORMS])
def test_bundled_form_lints_clean(folder):
    proc = subprocess.run([sys.executable, "-m", "engine", "lint", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("0 error(s), 0 warning(s)"), proc.stdout


@pytest.mark.parametrize("folder", FORMS, ids=[p.name for p in FORMS])
def test_bundled_form_passes_its_cases(folder):
    proc = subprocess.run([sys.executable, "-m", "engine", "test", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout


@pytest.mark.parametrize("folder", FORMS, ids=[p.name for p in FORMS])
def test_bundled_form_cases_exercise_every_branch(folder):
    proc = subprocess.run([sys.executable, "-m", "engine", "test", str(folder)], capture_output=True, text=True)
    assert "never taken" not in proc.stdout, proc.stdout


def test_there_are_bundled_forms():
    assert FORMS

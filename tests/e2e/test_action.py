"""The reusable GitHub Action (action.yml) and the workflows, checked without GitHub: every action input
is a `run` option, actionlint (the linter for GitHub workflows, a Go module) accepts the workflows and
the action as they use it, and the action's own run step, executed here with bash, runs the matrix,
writes the job summary and fails exactly on results not in expectations."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from zarr_conformance.cli import _parser
from zarr_conformance.paths import cache_dir

ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint"
ACTIONLINT_VERSION = "v1.7.12"


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def _run_options() -> set[str]:
    sub = next(a for a in _parser()._actions if a.dest == "command")
    return {o for action in sub.choices["run"]._actions for o in action.option_strings}


def test_every_action_input_is_a_run_option() -> None:
    inputs = _action()["inputs"]
    options = _run_options()
    mapped = 0
    for name, spec in inputs.items():
        description = spec["description"]
        if description.startswith("(setup)"):
            continue
        option = re.match(r"(-[-\w]+)", description)
        assert option, f"input {name!r}: its description must start with the run option it sets"
        assert option.group(1) in options, f"input {name!r} names {option.group(1)}, which `run` does not have"
        mapped += 1
    assert mapped >= 10
    script = next(step["run"] for step in _action()["runs"]["steps"] if step.get("id") == "run")
    env = next(step["env"] for step in _action()["runs"]["steps"] if step.get("id") == "run")
    for variable in env:
        assert f"${variable}" in script, f"{variable} is passed to the run step but not used"
    for option in re.findall(r"\((?:[^()]*\s)?(--[\w-]+)", script):
        assert option in options, f"the run step passes {option}, which `run` does not have"


def _actionlint() -> str:
    found = shutil.which("actionlint")
    if found:
        return found
    tools = cache_dir() / "tools" / f"actionlint-{ACTIONLINT_VERSION}"
    binary = tools / "actionlint"
    if not binary.exists():
        go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
        if go is None:
            pytest.skip("actionlint is not installed and there is no Go toolchain to install it")
        gopath = cache_dir() / "tools" / "go"
        subprocess.run([go, "install", f"{ACTIONLINT}@{ACTIONLINT_VERSION}"], check=True, timeout=900,
                       env={**os.environ, "GOBIN": str(tools), "GOPATH": str(gopath),
                            "GOMODCACHE": str(gopath / "pkg" / "mod"), "GOFLAGS": "-buildvcs=false -modcacherw"})
    return str(binary)


def test_actionlint_accepts_the_workflows_and_the_action() -> None:
    # actionlint checks .github/workflows/*.yml and, through `uses: ./`, action.yml's inputs
    done = subprocess.run([_actionlint(), "-no-color"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "uses: ./" in (ROOT / ".github" / "workflows" / "action.yml").read_text()


def test_actionlint_would_catch_a_misspelt_input(tmp_path: Path) -> None:
    """The check above is not vacuous: a workflow passing an input the action lacks is refused."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    workflow = (ROOT / ".github" / "workflows" / "action.yml").read_text().replace("peers:", "peer:", 1)
    (tmp_path / ".github" / "workflows" / "action.yml").write_text(workflow)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run([_actionlint(), "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and 'input "peer" is not defined' in done.stdout


def _run_step(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The action's 'run the matrix' step, as the runner would execute it (bash, its env, GITHUB_* files),
    with `zarr-conformance` on PATH being this checkout's CLI."""
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "run")
    defaults = {name: str(spec.get("default", "")) for name, spec in _action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {k: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], v) for k, v in step["env"].items()}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "zarr-conformance"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m zarr_conformance.cli "$@"\n')
    shim.chmod(0o755)
    for name in ("summary.md", "output", "temp"):
        (tmp_path / name).touch() if name != "temp" else (tmp_path / name).mkdir()
    full = {**os.environ, **env, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CI": "true",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "output"),
            "RUNNER_TEMP": str(tmp_path / "temp"), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=tmp_path, env=full,
                          capture_output=True, text=True, timeout=600)
    return done, tmp_path / values["out"]


def test_the_action_runs_the_matrix_and_writes_the_job_summary(tmp_path: Path) -> None:
    done, out = _run_step(tmp_path, implementation="reference", peers="", kind="read write",
                          pattern="*v2/dtype/int32*")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "zarr-conformance run --no-progress --out conformance-report --fail-on new --timeout 60 --impl " \
           "reference --kind read --kind write -k *v2/dtype/int32*" in done.stdout
    assert (out / "results.json").is_file() and (out / "junit.xml").is_file()
    assert "results=conformance-report/results.json" in (tmp_path / "output").read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## Zarr conformance") and "| reference |" in summary
    assert "Every cell is as expected" in summary


def test_the_action_fails_only_on_results_not_in_expectations(tmp_path: Path) -> None:
    exp = tmp_path / "exp"
    exp.mkdir()
    (exp / "reference.toml").write_text('[[expect]]\nfixture = "v2/dtype/int32-le"\nkind = "read"\n'
                                        'status = "fail"\nreason = "a known failure that in fact passes"\n')
    done, _ = _run_step(tmp_path, implementation="reference", peers="", kind="read", pattern="*v2/dtype/int32*",
                        expectations=str(exp))
    assert done.returncode == 1, done.stdout + done.stderr  # the entry no longer holds: unexpected
    summary = (tmp_path / "summary.md").read_text()
    assert "**unexpected** `pass` read reference `v2/dtype/int32-le`" in summary
    assert "(expected fail" in summary
    (tmp_path / "never").mkdir()
    again, _ = _run_step(tmp_path / "never", implementation="reference", peers="", kind="read",
                         pattern="*v2/dtype/int32*", expectations=str(exp), **{"fail-on": "never"})
    assert again.returncode == 0, again.stderr

"""Throwaway virtual environments holding a corpus installed from PyPI, and code run inside them.

Benchmarks that need the truth a framework itself knows (SQLAlchemy's ``metadata.tables``,
Django's ``apps.get_models()``, a URL resolver, a task registry) import the analyzed project;
Seams never does. Those imports happen here, in a separate interpreter of a virtual environment
made for one corpus, so neither this process nor Seams runs any of the corpus' code.

API::

    env = ensure_env("lemur", ["lemur==1.9.3"])      # make or reuse ~/.cache/seams-venvs/lemur
    result = env.run(SNIPPET, args=["lemur"], timeout=600)

- ``VENVS``: where environments live, ``$SEAMS_VENVS`` or ``~/.cache/seams-venvs``.
- ``ensure_env(name, requirements, *, no_deps=(), ignore_python=False, log=print) ->
  CorpusEnv``: the environment ``VENVS/name`` with ``requirements`` pip-installed from the
  package index, then ``no_deps`` without their dependencies (a release whose declared
  dependencies cannot all be had). It is reused when a previous install of the same
  requirements completed (a marker file records them); otherwise it is made anew.
  ``ignore_python`` passes ``--ignore-requires-python`` for releases declaring a newer Python
  than the one running. ``python`` (``"3.12"``) makes the environment with that version of
  Python (``python3.12`` on the PATH or under ``~/.pyenv/versions``) instead of the running one,
  for corpora that need another. Raises ``EnvError`` (with pip's last lines) when an install
  fails.
- ``CorpusEnv.run(snippet, *, args=(), env=None, cwd=None, timeout=900) -> object``: runs
  ``snippet`` (Python source) in the environment's interpreter as ``__main__`` with ``args`` as
  ``sys.argv[1:]``. The snippet hands back one JSON value by calling ``emit(value)``, a function
  defined before it runs; what it prints goes to this process's stderr only when it fails.
  Returns the emitted value; raises ``EnvError`` when the snippet fails, times out or emits
  nothing. ``env`` entries are added to the environment (``PYTHONPATH`` is cleared so that only
  the installed corpus is importable).
- ``CorpusEnv.python``: the interpreter's path, for callers that run it themselves;
  ``CorpusEnv.site_packages``: where the corpus is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

VENVS = Path(os.environ.get("SEAMS_VENVS", Path.home() / ".cache" / "seams-venvs"))
_MARKER = ".seams-requirements"

_PRELUDE = """\
import json as _json, os as _os, sys as _sys
def emit(value):
    with open(_os.environ["SEAMS_EMIT"], "w", encoding="utf-8") as _out:
        _json.dump(value, _out, sort_keys=True)
"""


class EnvError(RuntimeError):
    """An environment could not be made, or a snippet failed inside it."""


@dataclass(frozen=True, slots=True)
class CorpusEnv:
    name: str
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def site_packages(self) -> Path:
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        return self.path / "lib" / version / "site-packages"

    def run(
        self,
        snippet: str,
        *,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 900,
    ) -> object:
        with tempfile.TemporaryDirectory(prefix=f"seams-{self.name}-") as tmp:
            script = Path(tmp) / "snippet.py"
            script.write_text(_PRELUDE + snippet, encoding="utf-8")
            result = Path(tmp) / "result.json"
            cleared = ("PYTHONPATH", "VIRTUAL_ENV")
            environ = {k: v for k, v in os.environ.items() if k not in cleared}
            environ.update(env or {})
            environ["SEAMS_EMIT"] = str(result)
            try:
                done = subprocess.run(
                    [str(self.python), str(script), *args],
                    cwd=str(cwd or tmp),
                    env=environ,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise EnvError(f"{self.name}: snippet timed out after {timeout:.0f} s") from exc
            if done.returncode != 0 or not result.exists():
                tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
                raise EnvError(f"{self.name}: snippet failed (exit {done.returncode}):\n{tail}")
            return json.loads(result.read_text(encoding="utf-8"))


def _interpreter(version: str) -> str:
    """The Python of ``version`` (``"3.12"``), or the running one without a version."""
    if not version:
        return sys.executable
    found = shutil.which(f"python{version}")
    if found:
        return found
    pyenv = Path.home() / ".pyenv" / "versions"
    for candidate in sorted(pyenv.glob(f"{version}.*/bin/python"), reverse=True):
        return str(candidate)
    raise EnvError(f"no Python {version} found (python{version} on the PATH, or pyenv)")


def ensure_env(
    name: str,
    requirements: Sequence[str],
    *,
    no_deps: Sequence[str] = (),
    ignore_python: bool = False,
    log: Callable[[str], None] = print,
    python: str = "",
) -> CorpusEnv:
    """The environment ``VENVS/name`` with ``requirements`` installed (see the module doc)."""
    path = VENVS / name
    env = CorpusEnv(name, path)
    wanted = "\n".join([*requirements, *(f"--no-deps {r}" for r in no_deps)]) + "\n"
    marker = path / _MARKER
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted and env.python.exists():
        return env
    if path.exists():
        shutil.rmtree(path)
    log(f"{name}: making {path} with {' '.join(requirements)}")
    subprocess.run([_interpreter(python), "-m", "venv", str(path)], check=True)
    command = [str(env.python), "-m", "pip", "install", "-q", "--no-input"]
    if ignore_python:
        command.append("--ignore-requires-python")
    done = subprocess.run([*command, *requirements], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-10:])
        raise EnvError(f"{name}: pip install failed:\n{tail}")
    marker.write_text(wanted, encoding="utf-8")
    return env

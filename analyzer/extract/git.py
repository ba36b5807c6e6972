"""git history: which files changed together, read safely from an untrusted repository.

A repository's own configuration can run programs (``core.fsmonitor``, ``core.hooksPath``,
external diff drivers, textconv filters, pagers, signature checks), so git runs with all of them
switched off on the command line, without system or global configuration, with no terminal
prompt and a time limit. Anything unexpected (no git, not a repository, a corrupt ``.git``, a
timeout) means "no history", with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from analyzer.extract.cache import FactCache
from analyzer.model.history import Commit, History

MAX_COMMITS = 2000
_CACHE_FORMAT = 1  # of the cached history; bumped when _encode changes
TIMEOUT_SECONDS = 30
_SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.pager=cat",
    "core.attributesFile=/dev/null",
    "core.untrackedCache=false",
    "diff.external=",
    "log.showSignature=false",
    "gpg.program=false",
    "protocol.allow=never",
)
_MARK = "\x1e"


def _environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TMPDIR")}
    return {
        **keep,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
        "HOME": os.devnull,
    }


def _git(root: Path, *args: str) -> str:
    """Run git in ``root``; raises ``OSError``/``subprocess`` errors on any failure."""
    executable = shutil.which("git")
    if executable is None:
        raise FileNotFoundError("git is not installed")
    command = [executable, "--no-pager"]
    for setting in _SAFE_CONFIG:
        command += ["-c", setting]
    result = subprocess.run(
        [*command, "-C", str(root), *args],
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        check=True,
    )
    return result.stdout.decode("utf-8", errors="replace")


def read_history(
    root: Path, max_commits: int = MAX_COMMITS, cache: FactCache | None = None
) -> History:
    """The last ``max_commits`` commits under ``root``, or an empty history saying why. With a
    ``cache``, the history read at a HEAD commit is kept and reused until HEAD moves."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").strip()
        if inside != "true":
            return History(note="not inside a git work tree")
        head = _git(root, "rev-parse", "--verify", "HEAD").strip()
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        slot = f"history:{root.resolve()}"
        key = f"{_CACHE_FORMAT}\0{head}\0{shallow}\0{max_commits}".encode()
        stored = _decode(cache.get_blob(slot, key)) if cache is not None else None
        if stored is not None:
            return stored
        log = _git(
            root,
            "log",
            "--no-color",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--name-only",
            f"--format={_MARK}%H",
            f"-n{max_commits}",
            "--relative",
            "--",
            ".",
        )
    except FileNotFoundError:
        return History(note="git is not installed")
    except subprocess.TimeoutExpired:
        return History(note=f"git did not answer within {TIMEOUT_SECONDS} s")
    except subprocess.CalledProcessError as exc:
        if b"not a git repository" in (exc.stderr or b""):
            return History(note="not a git repository")
        return History(note="no readable git history (a damaged or unsupported repository)")
    except OSError as exc:
        return History(note=f"git could not run: {exc.strerror or exc}")
    note = "shallow clone: history is truncated" if shallow else ""
    history = History(tuple(_parse(log)), head, shallow, note)
    if cache is not None:
        cache.put_blob(slot, key, _encode(history))
    return history


def _encode(history: History) -> bytes:
    commits = [[c.sha, list(c.paths)] for c in history.commits]
    data = {"head": history.head, "shallow": history.shallow, "note": history.note}
    return json.dumps({**data, "commits": commits}).encode()


def _decode(data: bytes | None) -> History | None:
    """A history stored by ``_encode``; ``None`` for anything else (the cache is in the tree)."""
    if data is None:
        return None
    try:
        raw = json.loads(data)
        commits = tuple(
            Commit(str(sha), tuple(str(p) for p in paths)) for sha, paths in raw["commits"]
        )
        return History(commits, str(raw["head"]), bool(raw["shallow"]), str(raw["note"]))
    except (ValueError, TypeError, KeyError):
        return None


def _parse(log: str) -> list[Commit]:
    commits = []
    for block in log.split(_MARK)[1:]:
        lines = [line.strip() for line in block.splitlines()]
        sha, paths = lines[0], tuple(sorted({p for p in lines[1:] if p}))
        commits.append(Commit(sha, paths))
    return commits


def repository_prefix(root: Path) -> str:
    """Where ``root`` sits in its git repository, as a relative POSIX path: ``""`` at the top
    of one or outside any. Paths in CI reports are made relative to the repository root so
    that annotations land on the right files."""
    for parent in [root, *root.parents]:
        if (parent / ".git").exists():
            relative = root.relative_to(parent).as_posix()
            return "" if relative == "." else relative
    return ""

"""Speed and memory of ``seams analyze`` on real monoliths, beside bare libcst, grimp and tach.

Usage: python bench/speed.py [--runs 3] [--big-runs 2] [--trees netbox,pretix,1m]
                             [--workdir DIR] [--write bench/RESULTS.md]

Trees (hard-linked copies of the corpora fetched by ../shared/corpora/fetch.sh, so the corpora
themselves are never modified; a file about to be changed is copied first):
  netbox   netbox without extras/data/ (one generated 111k-line module would make parallel
           scaling figures meaningless)
  pretix   pretix as fetched
  1m       every corpus side by side (about 1M lines after tests and migrations are left out),
           netbox's extras/data/ included
For each tree, medians of several runs of: bare ``libcst.parse_module`` of the files Seams
analyzes (1 and 2 processes), ``seams analyze`` cold (empty cache) with --jobs 1 and 2, warm
(nothing changed), after a code change to one file (a function using a name the file imports
from its own project is appended), ``seams check`` after such a change (when the command
exists), ``grimp.build_graph`` cold and warm and ``tach check`` (import-only anchors).
Each figure is wall time of the whole command and the peak memory of its process tree
(proportional set size of all its processes, sampled every half second, or the largest single
process's ru_maxrss if higher). Sampling is kept that sparse because it is not free: reading
one process's smaps_rollup walks its page tables under its memory-map lock, about 6 ms for a
300 MB process here. Sampling every 50 ms, this process used about a tenth of a core through
a netbox run of the bench (26 s of CPU in its first 5 minutes), taken from the commands it
measured on a 2-core machine, and each read costs more for seams' larger processes than for
bare libcst's.
Cold runs and bare parses alternate so that load from other work on the machine falls on both;
ratios are taken within a round, then their median is reported.

Also: clustering and metrics of a synthetic 20,000-symbol graph (graph build, Leiden clustering
and naming, metrics of the proposal and of the as-is layout), in this process.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import gc
import json
import os
import platform
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.extract.discover import discover_files  # noqa: E402
from analyzer.extract.guard import needs_skeleton  # noqa: E402

CORPORA = Path(os.environ.get("SEAMS_CORPORA", Path.home() / ".cache/seams-corpora"))
BIG = ("saleor", "django-oscar", "pretix", "netbox", "django", "weblate", "airflow-core")
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}

# An installed package has its bytecode compiled (pip does it); this environment may forbid
# writing it, which would add ~0.15 s of compiling to every run. Compile once, up front.
for _package in ("analyzer", "reports"):
    compileall.compile_dir(ROOT / _package, quiet=1)


SAMPLE_EVERY = 0.5  # seconds between two samples of the memory of a measured process tree
BARE1, BARE2 = "bare libcst, 1 process", "bare libcst, 2 processes"
COLD1, COLD2 = "seams analyze cold --jobs 1", "seams analyze cold --jobs 2"
WARM, CHANGED = "seams analyze warm (no change)", "seams analyze after a code change to one file"
CHECK = "seams check after a code change to one file"
RATIO_COLD = "cold --jobs 2 / bare libcst 2 processes"
RATIO_JOBS = "cold --jobs 1 / cold --jobs 2 (speed-up)"
GRAPH = "clustering + metrics"


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float  # user + system seconds of the process and its children
    peak: int  # bytes
    code: int


@dataclass
class TreeResult:
    name: str
    files: int
    lines: int
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, sample: Sample) -> Sample:
        self.samples.setdefault(key, []).append(sample)
        return sample


# --- measuring a command -------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _memory(pid: int) -> int:
    """A process's proportional set size: pages shared with another process of the tree (a
    forked child's, before either writes them) count once in the tree's sum, not twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return -1


def _tree_rss(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        used = _memory(current)
        if used < 0:
            continue
        total += used
        stack += _children(current)
    return total


def measure(cmd: Sequence[str], cwd: Path | None = None) -> Sample:
    """Wall time and peak memory of the process tree of ``cmd``: the sampled sum of the memory
    of all its processes (proportional set size, so pages a forked child shares with its parent
    count once), or the largest one's ru_maxrss (from wait4) when that is higher."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would block
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=errors
        )
        peak = 0
        ended = os.pidfd_open(proc.pid)  # readable once the command has exited
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                peak = max(peak, _tree_rss(proc.pid))
                # until the next sample, or at once when the command ends
                select.select([ended], [], [], SAMPLE_EVERY)
        finally:
            os.close(ended)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(map(str, cmd[:5]))}... exited {proc.returncode}: {stderr[-300:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, max(peak, usage.ru_maxrss * 1024), proc.returncode)


# --- bare libcst -----------------------------------------------------------------------------


def _parse_files(paths: list[str]) -> int:
    import libcst

    gc.disable()
    parsed = 0
    for path in paths:
        try:
            libcst.parse_module(Path(path).read_bytes().decode("utf-8", errors="replace"))
            parsed += 1
        except Exception:
            pass
    return parsed


def bare_parse_main(listfile: str, jobs: int) -> None:
    """(run as a separate process) parse every listed file, largest first, in ``jobs`` processes"""
    paths = Path(listfile).read_text().splitlines()
    if jobs == 1:
        _parse_files(paths)
        return
    batches = [paths[i : i + 8] for i in range(0, len(paths), 8)]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_parse_files, batches))


# --- trees -------------------------------------------------------------------------------------


def prepare(name: str, workdir: Path) -> Path:
    """A hard-linked copy of corpus ``name`` (of every big corpus for ``1m``). A corpus reached
    through a symbolic link is copied from where the link points: a copy of the link itself
    would make removing ``extras/data`` below remove the corpus's own files."""
    target = workdir / name
    if target.is_symlink():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    if name == "netbox":
        _link_copy(CORPORA / "netbox", target)
        shutil.rmtree(target / "extras" / "data", ignore_errors=True)
    elif name == "1m":
        target.mkdir(parents=True)
        for corpus in BIG:
            _link_copy(CORPORA / corpus, target / corpus)
    else:
        _link_copy(CORPORA / name, target)
    return target


def _link_copy(source: Path, target: Path) -> None:
    subprocess.run(["cp", "-al", str(source.resolve()), str(target)], check=True)


def change_one_file(path: Path, round_: int, packages: Sequence[str]) -> None:
    """A code change, not just new bytes: append a function that uses a name the module imports
    from its own project (or, failing that, its first top-level name), so the file's facts, the
    graph and the proposal's input all change. The hard link is broken first."""
    data = path.read_bytes()
    name = _used_name(data, packages)
    path.unlink()
    body = f"return {name}" if name else "return None"
    path.write_bytes(data + f"\n\ndef _speed_benchmark_{round_}():\n    {body}\n".encode())


def _used_name(data: bytes, packages: Sequence[str]) -> str | None:
    tree = ast.parse(data)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] in packages
        ):
            for alias in node.names:
                if alias.name != "*":
                    return alias.asname or alias.name
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            return node.name
    return None


def _packages(tree: Path) -> list[str]:
    return sorted(p.name for p in tree.iterdir() if (p / "__init__.py").is_file())


def _write_tach_config(tree: Path) -> None:
    lines = ['exclude = ["**/tests", "**/migrations", "**/.seams-cache"]', 'source_roots = ["."]']
    for package in _packages(tree):
        lines += ["", "[[modules]]", f'path = "{package}"', "depends_on = []"]
    (tree / "tach.toml").write_text("\n".join(lines) + "\n")


def _seams(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "analyzer", *map(str, args)]


def _has_check() -> bool:
    check = subprocess.run(_seams("check", "--help"), env=ENV, capture_output=True, check=False)
    return check.returncode == 0


def bench_tree(name: str, workdir: Path, runs: int, full: bool) -> TreeResult:
    tree = prepare(name, workdir)
    discovery = discover_files(tree)
    files = sorted(discovery.files, key=lambda f: -f.size)
    paths = [str(Path(discovery.root) / f.path) for f in files]
    lines = sum(Path(p).read_bytes().count(b"\n") for p in paths)
    result = TreeResult(name, len(paths), lines)
    # Bare libcst parses what Seams gives libcst: not the data modules it reads with ast.
    guarded = [p for p in paths if needs_skeleton(Path(p).read_bytes()) is not None]
    if guarded:
        size = sum(Path(p).stat().st_size for p in guarded) / 1e6
        result.notes.append(
            f"{len(guarded)} data module(s) ({size:.1f} MB) read with ast by Seams are left out"
            " of the bare libcst figures: "
            + ", ".join(str(Path(p).relative_to(tree)) for p in guarded)
        )
    listfile = workdir / f"{name}.files"
    listfile.write_text("\n".join(p for p in paths if p not in guarded))
    out = workdir / f"{name}-out"
    cache = tree / ".seams-cache"
    bare = [sys.executable, __file__, "--bare-parse", str(listfile)]
    print(f"{name}: {len(paths)} files, {lines:,} lines")
    for round_ in range(runs):
        bare2 = result.add(BARE2, measure([*bare, "2"]))
        shutil.rmtree(cache, ignore_errors=True)
        cold2 = result.add(COLD2, measure(_analyze(tree, out, 2)))
        result.ratios.setdefault(RATIO_COLD, []).append(cold2.wall / bare2.wall)
        result.ratios.setdefault("same, CPU time", []).append(cold2.cpu / bare2.cpu)
        if full:
            bare1 = result.add(BARE1, measure([*bare, "1"]))
            shutil.rmtree(cache, ignore_errors=True)
            cold1 = result.add(COLD1, measure(_analyze(tree, out, 1)))
            result.ratios.setdefault(RATIO_JOBS, []).append(cold1.wall / cold2.wall)
            result.ratios.setdefault("bare 1 / bare 2 processes (speed-up)", []).append(
                bare1.wall / bare2.wall
            )
        print(f"  round {round_ + 1}: bare2 {bare2.wall:.1f} s, cold2 {cold2.wall:.1f} s")
    measure(_analyze(tree, out, 2))  # make sure the cache is complete
    victim = Path(paths[len(paths) // 2])
    for round_ in range(runs):
        result.add(WARM, measure(_analyze(tree, out, 2)))
        change_one_file(victim, round_, _packages(tree))
        result.add(CHANGED, measure(_analyze(tree, out, 2)))
    _bench_check(tree, victim, runs, result)
    if name != "1m":
        _bench_anchors(tree, workdir, runs, result)
    return result


def _analyze(tree: Path, out: Path, jobs: int) -> list[str]:
    return _seams("analyze", tree, "-o", out, "--no-git", "-q", "--jobs", str(jobs))


def _bench_check(tree: Path, victim: Path, runs: int, result: TreeResult) -> None:
    if not _has_check():
        result.notes.append("`seams check` is not available in this build: not measured")
        return
    init = subprocess.run(
        _seams("init", tree), env=ENV, capture_output=True, text=True, check=False
    )
    if init.returncode != 0:
        result.notes.append(f"`seams init` failed ({init.stderr.strip()[-200:]}): check skipped")
        return
    measure(_seams("check", tree, "-q"))
    for round_ in range(runs):
        change_one_file(victim, 100 + round_, _packages(tree))
        result.add(CHECK, measure(_seams("check", tree, "-q")))


def _bench_anchors(tree: Path, workdir: Path, runs: int, result: TreeResult) -> None:
    packages = _packages(tree)
    grimp_cache = workdir / f"{tree.name}-grimp-cache"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import grimp; "
        "grimp.build_graph(*sys.argv[3:], cache_dir=sys.argv[2])"
    )
    grimp = [sys.executable, "-c", code, str(tree), str(grimp_cache), *packages]
    _write_tach_config(tree)
    for _ in range(runs):
        shutil.rmtree(grimp_cache, ignore_errors=True)
        result.add("grimp build_graph cold", measure(grimp))
        result.add("grimp build_graph warm", measure(grimp))
        tach = shutil.which("tach") or "tach"
        result.add("tach check", measure([tach, "check"], cwd=tree))
    result.notes.append(
        f"grimp and tach see every module of {', '.join(packages)} (tests and migrations too)"
    )


# --- clustering and metrics of a synthetic symbol graph --------------------------------------


def synthetic_couplings(symbols: int, seed: int = 0) -> tuple[list[object], list[object]]:
    """40 packages of 10 modules; ``symbols`` top-level symbols spread over them; each symbol
    uses ~5 others (80% in its own package), some read or write tables of their package."""
    from analyzer.design.signals.graph import GraphNode
    from analyzer.model.coupling import Coupling, table_node

    rng = random.Random(seed)
    packages, modules_per = 40, 10
    per_module = max(1, symbols // (packages * modules_per))
    nodes, by_package = [], []
    for p in range(packages):
        members = []
        for m in range(modules_per):
            module = f"app{p:02d}.mod{m}"
            nodes.append(GraphNode(module, "module", module, 5, f"app{p:02d}/mod{m}.py", 1))
            for s in range(per_module):
                node = GraphNode(f"{module}:Sym{s}", "function", module, 12, f"{module}.py", s)
                nodes.append(node)
                members.append(node.id)
        by_package.append(members)
    couplings = []
    kinds = ["call", "call", "call", "import", "inheritance"]
    for p, members in enumerate(by_package):
        for source in members:
            for _ in range(5):
                q = p if rng.random() < 0.8 else rng.randrange(packages)
                target = rng.choice(by_package[q])
                if target != source:
                    kind = rng.choice(kinds)
                    couplings.append(Coupling(source, target, kind, "x.py", 1, target))
            if rng.random() < 0.05:
                table = table_node(f"app{p:02d}_t{rng.randrange(3)}")
                mode = rng.choice(["read", "write"])
                couplings.append(Coupling(source, table, "data", "x.py", 1, table, mode=mode))
    return nodes, couplings


def graph_round(nodes: list[object], couplings: list[object]) -> dict[str, float]:
    """The pipeline's steps after parsing, as ``analyzer.pipeline.analyze`` runs them on one
    core: the proposal (clustering, the shared library, the second clustering, naming), its
    stability reruns, and the metrics of the proposal and of today's layout."""
    from analyzer.design.cluster.proposal import propose
    from analyzer.design.evaluate.metrics import evaluate
    from analyzer.design.signals.graph import build_graph
    from analyzer.model.options import Weights

    t0 = time.perf_counter()
    graph = build_graph(nodes, couplings, "symbol", Weights())
    t1 = time.perf_counter()
    hint = {n.id: n.module.split(".")[0] for n in graph.nodes}
    unsettled = propose(graph, None, 0, hint)
    proposal = unsettled.proposal
    t2 = time.perf_counter()
    proposal = unsettled.settle()
    t3 = time.perf_counter()
    as_is = {n.id: hint[n.id] for n in graph.nodes if n.kind != "table"}
    evaluate(graph, proposal.assignment, proposal.shared)
    evaluate(graph, as_is, proposal.shared)
    t4 = time.perf_counter()
    return {
        "graph build": t1 - t0,
        "proposal (clustering + naming)": t2 - t1,
        "stability reruns": t3 - t2,
        "metrics (proposal and as-is)": t4 - t3,
        "clustering + metrics": (t2 - t1) + (t4 - t3),
        "_nodes": len(graph.nodes),
        "_edges": len(graph.edges),
        "_services": len(proposal.services),
    }


def bench_graph(runs: int, symbols: int = 20_000) -> dict[str, list[float]]:
    nodes, couplings = synthetic_couplings(symbols)
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        for key, value in graph_round(nodes, couplings).items():
            times.setdefault(key, []).append(value)
    print(f"synthetic graph: {times['_nodes'][0]:.0f} nodes, {times['_edges'][0]:.0f} edges")
    return times


# --- report ------------------------------------------------------------------------------------


def _burn(seconds: float) -> int:
    end, count = time.process_time() + seconds, 0
    while time.process_time() < end:
        count += 1
    return count


def cores_free() -> float:
    """How many processes' worth of CPU two busy processes get now, against one (2.0 on an idle
    two-core machine): pure-Python work, so a measure of the machine, not of Seams."""
    start = time.perf_counter()
    _burn(1.0)
    alone = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_burn, [0.01, 0.01]))  # start the workers before timing
        start = time.perf_counter()
        list(pool.map(_burn, [1.0, 1.0]))
        together = time.perf_counter() - start
    return 2 * alone / together


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    return [
        f"- {cpu}, {len(os.sched_getaffinity(0))} cores available, {memory:.0f} GB RAM",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"libcst {version('libcst')}, networkx {version('networkx')}",
        f"- load average at start {os.getloadavg()[0]:.1f} (the machine is shared: compare "
        "ratios measured in the same round rather than absolute times); two busy processes "
        f"got {cores_free():.2f}x the work of one (2.00 on an idle machine)",
    ]


def _median(samples: list[Sample]) -> tuple[float, float, int]:
    wall = statistics.median(s.wall for s in samples)
    cpu = statistics.median(s.cpu for s in samples)
    return wall, cpu, int(statistics.median(s.peak for s in samples))


def _targets(trees: list[TreeResult], graph: dict[str, list[float]]) -> list[str]:
    """The targets of the speed work, beside the medians measured here."""
    rows: list[tuple[str, float | None, str, float]] = []
    by_name = {t.name: t for t in trees}

    def ratio(tree: str, key: str) -> float | None:
        values = by_name[tree].ratios.get(key) if tree in by_name else None
        return statistics.median(values) if values else None

    def wall(tree: str, key: str) -> float | None:
        samples = by_name[tree].samples.get(key) if tree in by_name else None
        return _median(samples)[0] if samples else None

    def peak(tree: str, key: str) -> float | None:
        samples = by_name[tree].samples.get(key) if tree in by_name else None
        return _median(samples)[2] / 2**30 if samples else None

    rows += [
        ("netbox: cold --jobs 2 / bare libcst 2 processes", ratio("netbox", RATIO_COLD), "<=", 2.5),
        ("netbox: --jobs 2 speed-up over --jobs 1", ratio("netbox", RATIO_JOBS), ">=", 1.6),
        ("netbox: warm, nothing changed (s)", wall("netbox", WARM), "<=", 3.0),
        ("netbox: after a code change to one file (s)", wall("netbox", CHANGED), "<=", 4.0),
        ("1m: cold --jobs 2 (s)", wall("1m", COLD2), "<=", 150.0),
        ("1m: peak memory, cold --jobs 2 (GB)", peak("1m", COLD2), "<=", 2.0),
    ]
    if graph:
        rows.append(
            (
                "20k-symbol graph: clustering + metrics (s)",
                statistics.median(graph[GRAPH]),
                "<=",
                10,
            )
        )
    # `seams check` is held to bench/check_speed.py (ratios to tach check, in one run), not here.
    out = ["## Targets", "", "| target | measured (median) | goal | met |", "|---|---|---|---|"]
    for label, value, op, goal in rows:
        if value is None:
            out.append(f"| {label} | not measured | {op} {goal:g} | |")
            continue
        met = value <= goal if op == "<=" else value >= goal
        out.append(f"| {label} | {value:.2f} | {op} {goal:g} | {'yes' if met else 'no'} |")
    return [*out, ""]


def render(
    trees: list[TreeResult], graph: dict[str, list[float]], header: list[str], runs: int
) -> str:
    out = ["# Speed benchmark", "", "Produced by `python bench/speed.py`.", "", *header, ""]
    out += [
        f"Medians of {runs} runs unless noted (the runs column says). Wall time is end to end"
        " (interpreter start-up included); CPU is user + system time of the command and all its"
        " processes; memory is the peak of the process tree (proportional set size summed over"
        " its processes, so pages a forked child shares with its parent count once).",
        "",
    ]
    out += _targets(trees, graph)
    for tree in trees:
        out += [f"## {tree.name}: {tree.files:,} files, {tree.lines:,} lines", ""]
        out += [
            "| measurement | runs | wall (median) | CPU (median) | peak memory (median) |",
            "|---|---|---|---|---|",
        ]
        for key, samples in tree.samples.items():
            wall, cpu, peak = _median(samples)
            out.append(
                f"| {key} | {len(samples)} | {wall:.2f} s | {cpu:.2f} s | {peak / 2**20:,.0f} MB |"
            )
        out += ["", "| ratio (per round, then median) | value | rounds |", "|---|---|---|"]
        for key, values in tree.ratios.items():
            out.append(f"| {key} | {statistics.median(values):.2f} | {len(values)} |")
        out += [""] + [f"- {note}" for note in tree.notes] + [""]
    if graph:
        nodes, edges = int(graph["_nodes"][0]), int(graph["_edges"][0])
        services = int(graph["_services"][0])
        out += [f"## Synthetic symbol graph: {nodes:,} nodes, {edges:,} edges", ""]
        out += [f"40 planted packages; the proposal has {services} services.", ""]
        out += ["| stage | runs | wall (median) |", "|---|---|---|"]
        for key, values in graph.items():
            if not key.startswith("_"):
                out.append(f"| {key} | {len(values)} | {statistics.median(values):.2f} s |")
        out.append("")
    return "\n".join(out)


def _save_raw(
    path: Path, trees: list[TreeResult], graph: dict[str, list[float]], header: list[str]
) -> None:
    data = {
        "header": header,
        "graph": graph,
        "trees": [
            {
                **{k: v for k, v in vars(t).items() if k != "samples"},
                "samples": {k: [vars(s) for s in v] for k, v in t.samples.items()},
            }
            for t in trees
        ],
    }
    path.write_text(json.dumps(data, indent=1))


def _load_raw(path: Path) -> tuple[list[TreeResult], dict[str, list[float]], list[str]]:
    data = json.loads(path.read_text())
    trees = []
    for t in data["trees"]:
        samples = {k: [Sample(**s) for s in v] for k, v in t.pop("samples").items()}
        trees.append(TreeResult(**t, samples=samples))
    return trees, data["graph"], data["header"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=2, help="runs on the 1M-line tree")
    parser.add_argument("--trees", default="netbox,pretix,1m")
    parser.add_argument("--graph-runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/seams-speed"))
    parser.add_argument("--write", type=Path, help="also write the Markdown report here")
    parser.add_argument(
        "--render-only", action="store_true", help="report the raw.json of the last run again"
    )
    parser.add_argument("--bare-parse", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_parse:
        bare_parse_main(args.bare_parse[0], int(args.bare_parse[1]))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    raw = args.workdir / "raw.json"
    if args.render_only:
        trees, graph, header = _load_raw(raw)
    else:
        header = machine()
        trees = []
        graph = {}
        for name in filter(None, args.trees.split(",")):
            runs = args.big_runs if name == "1m" else args.runs
            trees.append(bench_tree(name, args.workdir, runs, full=True))
            _save_raw(raw, trees, graph, header)
        graph = bench_graph(args.graph_runs) if args.graph_runs else {}
        header.append(
            f"- load average at end {os.getloadavg()[0]:.1f}; two busy processes got "
            f"{cores_free():.2f}x the work of one"
        )
        _save_raw(raw, trees, graph, header)
    report = render(trees, graph, header, args.runs)
    print(report)
    if args.write:
        args.write.write_text(report + "\n")


if __name__ == "__main__":
    main()

"""`seams analyze` and `seams report` end to end on the bundled monoliths."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from analyzer.model.options import DEFAULT_WEIGHTS
from reports.json_report import schema
from tests.conftest import FIXTURES, Run, run_seams

FIXTURE_NAMES = ["shop", "layered"]


@pytest.fixture(scope="module", params=FIXTURE_NAMES)
def analyzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, Run]:
    out = tmp_path_factory.mktemp(request.param)
    run = run_seams("analyze", FIXTURES / request.param, "-o", out, "--no-git", "--jobs", "1")
    return request.param, out, run


def test_writes_the_three_outputs_and_a_summary(analyzed: tuple[str, Path, Run]) -> None:
    _, out, run = analyzed
    assert run.code == 0, run.stderr
    assert {p.name for p in out.iterdir()} == {"report.html", "decomposition.json", "summary.md"}
    assert run.stdout.startswith("Proposed: ")
    assert "Traceback" not in run.stderr


def test_document_follows_the_published_schema(analyzed: tuple[str, Path, Run]) -> None:
    _, out, _ = analyzed
    document = json.loads((out / "decomposition.json").read_text())
    jsonschema.validate(document, schema())
    assert document["schema"] == "seams/decomposition@2"


def test_the_document_says_which_start_the_proposal_grew_from(
    analyzed: tuple[str, Path, Run],
) -> None:
    _, out, _ = analyzed
    search = json.loads((out / "decomposition.json").read_text())["search"]
    scores = {s["name"]: s["objective"] for s in search["starts"]}
    assert "today's layout" in scores
    # the start kept is the first tried of those reaching the highest objective
    best = max(scores.values())
    assert search["start"] == next(name for name, value in scores.items() if value == best)
    assert search["terms"]["objective"] > 0


def test_every_module_and_symbol_is_mapped(analyzed: tuple[str, Path, Run]) -> None:
    name, out, _ = analyzed
    document = json.loads((out / "decomposition.json").read_text())
    truth = json.loads((FIXTURES / name / "truth.json").read_text())
    assert set(document["modules"]) == set(truth["modules"])
    assert set(document["symbols"]) == set(truth["symbols"])
    names = [s["name"] for s in document["services"]]
    assert len(names) == len(set(names))
    assert not any(re.fullmatch(r"s\d+|service-\d+", n) for n in names)
    listed = {m for s in document["services"] for m in s["modules"]}
    assert listed == set(document["modules"])


def test_html_references_nothing_external(analyzed: tuple[str, Path, Run]) -> None:
    _, out, _ = analyzed
    html = (out / "report.html").read_text()
    assert "Content-Security-Policy" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_two_runs_give_byte_identical_json(tmp_path: Path, fixture: str) -> None:
    # Different hash seeds: set and dict orders must never leak into the result. One process
    # or two (stability reruns and the HTML report then come from forked processes): the same.
    for out, hash_seed, jobs in (("a", "1", "1"), ("b", "2", "2")):
        run = run_seams(
            "analyze",
            FIXTURES / fixture,
            "-o",
            tmp_path / out,
            "--no-git",
            "--seed",
            "3",
            "--jobs",
            jobs,
            env={"PYTHONHASHSEED": hash_seed},
        )
        assert run.code == 0, run.stderr
    for name in ("decomposition.json", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_requested_service_count_is_honoured(tmp_path: Path) -> None:
    run = run_seams(
        "analyze", FIXTURES / "shop", "-o", tmp_path, "--services", "4", "--granularity", "module"
    )
    assert run.code == 0, run.stderr
    document = json.loads((tmp_path / "decomposition.json").read_text())
    assert len([s for s in document["services"] if s["kind"] == "service"]) == 4
    assert document["parameters"]["granularity"] == "module"


def test_report_rerenders_from_json(analyzed: tuple[str, Path, Run], tmp_path: Path) -> None:
    _, out, _ = analyzed
    target = tmp_path / "again.html"
    run = run_seams("report", out / "decomposition.json", "-o", target)
    assert run.code == 0, run.stderr
    assert target.read_text() == (out / "report.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "/no/such/dir"], "seams: error: path does not exist: /no/such/dir"),
        (["analyze", str(FIXTURES / "shop" / "manage.py")], "seams: error: not a directory"),
        (
            ["analyze", str(FIXTURES / "shop"), "--services", "zero"],
            "seams: error: --services must be a positive number or 'auto', got 'zero'",
        ),
        (
            ["analyze", str(FIXTURES / "shop"), "--weights", "imports=2"],
            "seams: error: weights: unknown kind 'imports'",
        ),
        (
            ["analyze", str(FIXTURES / "shop"), "--granularity", "file"],
            "seams: error: Invalid value for '--granularity'",
        ),
        (["analyze", "--frobnicate"], "seams: error: No such option '--frobnicate'"),
        (["report", "/no/such/decomposition.json"], "seams: error: decomposition file not found"),
    ],
)
def test_bad_invocations_exit_2_with_one_line(args: list[str], message: str) -> None:
    run = run_seams(*args)
    assert run.code == 2
    assert run.stderr.startswith(message), run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_directory_without_python_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no code here")
    run = run_seams("analyze", tmp_path)
    assert run.code == 2
    assert run.stderr.strip() == f"seams: error: no Python files to analyze under {tmp_path}"


def test_version_and_help() -> None:
    assert run_seams("--version").stdout.strip() == "seams, version 0.1.0"
    help_text = run_seams("analyze", "--help").stdout
    for option in (
        "--services",
        "--granularity",
        "--weights",
        "--exclude",
        "--no-git",
        "--seed",
        "--jobs",
        "--open",
    ):
        assert option in help_text


def test_the_weights_help_gives_the_defaults_in_force() -> None:
    help_text = " ".join(run_seams("analyze", "--help").stdout.split())
    shown = dict(re.findall(r"(\w+)=([\d.]+)", help_text.split("--weights", 1)[1].split(").")[0]))
    assert shown == {kind: f"{weight:g}" for kind, weight in DEFAULT_WEIGHTS.items()}
    assert shown["data"] == "2"


def test_terminal_json_report_summary_and_readme_count_alike(
    analyzed: tuple[str, Path, Run],
) -> None:
    name, out, run = analyzed
    document = json.loads((out / "decomposition.json").read_text())
    services = [s for s in document["services"] if s["kind"] == "service"]
    library = [s for s in document["services"] if s["kind"] == "shared-library"]
    lines = sum(s["loc"] for s in document["services"])
    assert library, "both fixtures set a shared library apart"
    phrase = (
        f"{len(services)} services plus a shared library of"
        f" {sum(len(s['modules']) for s in library)} modules"
        f" / {sum(s['loc'] for s in library):,} lines"
    )
    scope = f"({len(document['modules'])} modules, {lines:,} lines of code analyzed)"
    assert document["metrics"]["proposed"]["services"] == len(services)

    assert run.stdout.splitlines()[0] == f"Proposed: {phrase} {scope}"
    summary = (out / "summary.md").read_text()
    assert summary.splitlines()[2].startswith(f"{phrase} {scope};")
    html = (out / "report.html").read_text()
    assert f'<b id="proposal-count">{phrase}</b>' in html
    tiles = dict(re.findall(r'data-count="(\w+)"><b>([\d,]+)</b>', html))
    assert tiles == {
        "services": str(len(services)),
        "library": str(sum(len(s["modules"]) for s in library)),
        "modules": str(len(document["modules"])),
        "lines": f"{lines:,}",
    }
    assert f"<title>Seams report: {phrase}</title>" in html
    if name == "shop":  # the README shows this run
        readme = (FIXTURES.parent / "README.md").read_text()
        assert f"Proposed: {phrase} {scope}" in readme
        assert f"{lines:,}-line" in readme


def test_a_monolith_is_worth_splitting_on_its_own_entry_points_and_tables(
    analyzed: tuple[str, Path, Run],
) -> None:
    _, out, _ = analyzed
    splitting = json.loads((out / "decomposition.json").read_text())["splitting"]
    assert splitting["verdict"] == "split"
    assert splitting["entry_points"] > 0 and splitting["tables"] > 0
    assert splitting["modularity"] >= splitting["threshold"]


LIBRARY = {
    "__init__.py": "from textkit.index import Index\n",
    "tokens.py": (
        "import re\n\nWORD = re.compile(r'\\w+')\n\n\n"
        "def tokens(text):\n    return [w.lower() for w in WORD.findall(text)]\n"
    ),
    "stem.py": (
        "from textkit.tokens import tokens\n\nSUFFIXES = ('ing', 'ed', 's')\n\n\n"
        "def stem(word):\n    for suffix in SUFFIXES:\n"
        "        if word.endswith(suffix) and len(word) > len(suffix) + 2:\n"
        "            return word[: -len(suffix)]\n    return word\n\n\n"
        "def stems(text):\n    return [stem(w) for w in tokens(text)]\n"
    ),
    "index.py": (
        "from collections import defaultdict\n\nfrom textkit.stem import stems\n\n\n"
        "class Index:\n    def __init__(self):\n        self.postings = defaultdict(set)\n\n"
        "    def add(self, key, text):\n        for s in stems(text):\n"
        "            self.postings[s].add(key)\n\n"
        "    def search(self, text):\n        found = [self.postings[s] for s in stems(text)]\n"
        "        return set.intersection(*found) if found else set()\n"
    ),
}


def test_a_library_is_said_to_have_nothing_for_services_to_serve(tmp_path: Path) -> None:
    package = tmp_path / "src" / "textkit"
    package.mkdir(parents=True)
    for name, text in LIBRARY.items():
        (package / name).write_text(text)
    out = tmp_path / "out"
    run = run_seams("analyze", tmp_path / "src", "-o", out, "--no-git", "--jobs", "1")
    assert run.code == 0, run.stderr
    document = json.loads((out / "decomposition.json").read_text())
    jsonschema.validate(document, schema())
    assert document["splitting"]["verdict"] == "library"
    assert document["splitting"]["entry_points"] == 0 and document["splitting"]["tables"] == 0
    headline = "Not an application: nothing here for services to serve."
    assert headline in run.stdout
    assert f"**{headline}**" in (out / "summary.md").read_text()
    assert 'id="splitting" data-verdict="library"' in (out / "report.html").read_text()


def test_a_larger_smallest_service_gives_fewer_larger_services(tmp_path: Path) -> None:
    found = {}
    for smallest in ("50", "1500"):
        out = tmp_path / smallest
        run = run_seams(
            "analyze", FIXTURES / "shop", "-o", out, "--no-git", "--jobs", "1",
            "--min-service-lines", smallest,
        )  # fmt: skip
        assert run.code == 0, run.stderr
        document = json.loads((out / "decomposition.json").read_text())
        assert document["parameters"]["min_service_lines"] == int(smallest)
        found[smallest] = [s["loc"] for s in document["services"] if s["kind"] == "service"]
    assert len(found["1500"]) < len(found["50"])
    assert min(found["1500"]) > min(found["50"])

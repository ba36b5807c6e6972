"""A function computed by a forked copy of the process gives what it gives here, and whenever
the child cannot deliver, the parent computes it itself."""

from __future__ import annotations

import os
import signal
import time

import pytest

from analyzer.forked import Forked, cancelled_on_error

PARENT = os.getpid()


def where(value: int) -> tuple[int, int]:
    return value * 2, os.getpid()


def dies_in_the_child(value: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return value + 1, os.getpid()


def fails(value: int) -> int:
    raise ValueError(f"no {value}")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_the_child_computes_and_the_parent_receives() -> None:
    value, pid = Forked(where, 21).result()
    assert value == 42
    assert pid != PARENT


def test_disabled_computes_here() -> None:
    assert Forked(where, 4, enabled=False).result() == (8, PARENT)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_killed_child_means_the_parent_computes_it() -> None:
    assert Forked(dies_in_the_child, 1).result() == (2, PARENT)


def test_an_error_raises_as_it_would_here() -> None:
    with pytest.raises(ValueError, match="no 5"):
        Forked(fails, 5).result()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_result_larger_than_a_pipe_buffer_arrives_whole() -> None:
    big = Forked(os.urandom, 3_000_000)
    data = big.result()
    assert len(data) == 3_000_000
    assert len(set(data[:1000])) > 100  # random bytes from the child, not zeros


def slow_in_the_child(value: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        time.sleep(30)
    return value * 3, os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_child_that_does_not_answer_in_time_is_ended_and_the_parent_computes_it() -> None:
    started = time.monotonic()
    assert Forked(slow_in_the_child, 2, timeout=0.5).result() == (6, PARENT)
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_cancelled_child_is_killed_and_reaped_and_the_result_computed_here() -> None:
    forked = Forked(slow_in_the_child, 3)
    pid = forked._pid
    assert pid is not None
    started = time.monotonic()
    forked.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no longer this process's child
        os.waitpid(pid, os.WNOHANG)
    forked.cancel()  # a second cancel does nothing
    assert forked.result() == (9, PARENT)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_reruns_forked_before_a_second_clustering_that_fails_do_not_outlive_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from analyzer.design.cluster import proposal
    from analyzer.design.signals.graph import GraphNode, build_graph
    from analyzer.model.coupling import Coupling
    from analyzer.model.options import Weights

    nodes = [GraphNode(f"{m}:f{i}", "function", m, 40) for m in ("a", "b") for i in range(3)]
    couplings = [
        Coupling(f"{m}:f0", f"{m}:f{i}", "call", f"{m}.py", 1, f"{m}:f{i}", count=3)
        for m in ("a", "b")
        for i in (1, 2)
    ]
    graph = build_graph(nodes, couplings, "symbol", Weights())
    real, calls, children = proposal.cluster, [], []
    started = Forked.__init__

    def remember(self: Forked[object], *args: object, **kwargs: object) -> None:
        started(self, *args, **kwargs)  # type: ignore[arg-type]
        children.append(self._pid)

    def second_fails(*args: object, **kwargs: object) -> object:
        calls.append(os.getpid())
        if len(calls) == 2 and os.getpid() == PARENT:
            raise RuntimeError("the second clustering failed")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Forked, "__init__", remember)
    monkeypatch.setattr(proposal, "cluster", second_fails)
    with pytest.raises(RuntimeError, match="second clustering failed"):
        proposal.propose(graph, None, 0, {}, background=True)
    forked = [pid for pid in children if pid is not None]
    assert len(forked) >= 2  # the two rerun children at least (the first clustering's too)
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_cancelled_on_error_cancels_only_when_the_block_fails() -> None:
    class Job:
        cancelled = 0

        def cancel(self) -> None:
            self.cancelled += 1

    kept, dropped = Job(), Job()
    with cancelled_on_error(kept):
        pass
    with pytest.raises(KeyError), cancelled_on_error(dropped):
        raise KeyError("x")
    assert (kept.cancelled, dropped.cancelled) == (0, 1)

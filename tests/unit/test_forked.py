"""A function computed by a forked copy of the process gives what it gives here, and whenever
the child cannot deliver, the parent computes it itself."""

from __future__ import annotations

import os
import signal
import time

import pytest

from analyzer.forked import Forked

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

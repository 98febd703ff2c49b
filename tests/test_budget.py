"""The per-document time budget: it fires on time however many documents came before."""

import threading
import time

import pytest

from flows.io.budget import TooSlow, time_budget


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_quick_documents_never_fire_and_a_slow_one_does_on_time():
    for _ in range(2000):
        with time_budget(60):
            "台风今晨登陆".count("台")
    t0 = time.monotonic()
    with pytest.raises(TooSlow):
        with time_budget(0.2):
            _spin(10)
    assert time.monotonic() - t0 < 3


def test_a_later_deadline_behind_an_earlier_one_still_fires():
    errors = {}

    def run(name, budget, work):
        try:
            with time_budget(budget):
                _spin(work)
        except TooSlow:
            errors[name] = time.monotonic() - t0

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=("short", 0.2, 10)), threading.Thread(target=run, args=("long", 0.6, 10)),
               threading.Thread(target=run, args=("fits", 30, 0.3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(errors) == {"short", "long"}
    assert errors["long"] < 5

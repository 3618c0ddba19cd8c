"""The shared test helpers do what the tests relying on them believe."""

import pytest
from django.db import IntegrityError

from events.registration import RegistrationError
from tests.helpers import run_at_once


def crash():
    raise IntegrityError("duplicate key value violates unique constraint")


def refuse():
    raise RegistrationError("Cet événement est complet.")


def test_run_at_once_fails_on_every_unexpected_error_in_a_thread():
    """A double submit crashing 7 of 8 threads must fail the test, with each
    thread's exception, not pass because the one left did the work."""
    with pytest.raises(ExceptionGroup) as failure:
        run_at_once([crash] * 7 + [lambda: "inscrite"])

    assert len(failure.value.exceptions) == 7
    assert all(isinstance(e, IntegrityError) for e in failure.value.exceptions)


def test_run_at_once_returns_each_result_in_order():
    assert run_at_once([lambda n=n: n * n for n in range(6)]) == [0, 1, 4, 9, 16, 25]


def test_run_at_once_returns_an_expected_refusal_as_a_value():
    results = run_at_once([refuse, lambda: "inscrite"], expected=(RegistrationError,))

    assert isinstance(results[0], RegistrationError)
    assert results[0].message == "Cet événement est complet."
    assert results[1] == "inscrite"


def test_run_at_once_does_not_expect_what_it_was_not_told_to():
    with pytest.raises(ExceptionGroup) as failure:
        run_at_once([refuse, crash], expected=(RegistrationError,))

    assert [type(e) for e in failure.value.exceptions] == [IntegrityError]


def test_run_at_once_names_the_threads():
    import threading

    answers = run_at_once(
        {name: lambda: threading.current_thread().name for name in ("a", "b")}
    )

    assert answers == {"a": "a", "b": "b"}

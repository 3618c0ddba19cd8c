"""Helpers shared by several test modules."""

import json
import threading
from collections.abc import Callable, Mapping, Sequence

import pytest
from django.db import connection

# How long a thread of `run_at_once` may take before the test is failed as hung:
# a guard against a deadlock, never a measure of speed.
HUNG_AFTER_SECONDS = 120


def run_at_once(
    actions: Sequence[Callable] | Mapping[str, Callable],
    *,
    expected: tuple[type[BaseException], ...] = (),
):
    """Run each action in its own thread (its own database connection), all
    released together by a barrier, and return what each one gave, in order (a
    dict by name when `actions` is a dict; the name is also the thread's name).

    An exception of one of the `expected` types (a domain refusal the test then
    asserts on) is returned as that action's result. Any other exception fails
    the test: every one is re-raised together, with its traceback, as an
    `ExceptionGroup`. A thread still running after `HUNG_AFTER_SECONDS` fails
    the test as well.
    """
    named = isinstance(actions, Mapping)
    items = list(actions.items()) if named else [(None, a) for a in actions]
    barrier = threading.Barrier(len(items), timeout=HUNG_AFTER_SECONDS)
    results: list = [None] * len(items)
    errors: list[BaseException] = []

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except expected as error:
            results[index] = error
        except BaseException as error:  # Re-raised below, with the others.
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action), name=name)
        for index, (name, action) in enumerate(items)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HUNG_AFTER_SECONDS)
    hung = [thread.name for thread in threads if thread.is_alive()]
    if hung:
        pytest.fail(f"threads still running after {HUNG_AFTER_SECONDS} s: {hung}")
    if errors:
        raise ExceptionGroup(
            f"{len(errors)} of {len(items)} actions run at once failed", errors
        )
    if named:
        return {name: result for (name, _), result in zip(items, results, strict=True)}
    return results


def publish(page):
    """Publish `page` through a revision, as an editor does; returns it."""
    page.save_revision().publish()
    return page


def api(client, path="/api/search/", **params):
    """The search API's JSON answer (asserting it answered 200)."""
    response = client.get(path, params)
    assert response.status_code == 200
    return json.loads(response.content)


def titles(data):
    """The titles of a search API answer's results, in order."""
    return [result["title"] for result in data["results"]]

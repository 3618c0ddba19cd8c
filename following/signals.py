"""Immediate alerts: new content enqueues a task once its transaction commits."""


def connect() -> None:
    pass

"""The task worker: django-tasks-db's `db_worker`, made to survive its own death
and the database's (see `retex.worker.worker`)."""

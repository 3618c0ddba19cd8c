"""`make bench`: a large realistic corpus, the site served the production way, and
a report of speed, SQL queries and memory (see docs/benchmark.md)."""

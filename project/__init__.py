"""The composition root: the site's URLs and the demo command.

It imports every app and nothing imports it, so the apps and the small core
(`retex`) stay free of import cycles (tests/retex/test_import_graph.py)."""

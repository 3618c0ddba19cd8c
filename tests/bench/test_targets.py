"""The pages `make bench` measures (`bench.phases targets` and `queries`): the
mutual-aid space is among them, for members only, asked with a member's
session (issue #19)."""

import json
import types

import pytest

from bench.corpus import Sizes, generate
from bench.phases import step_queries, step_targets

TINY = Sizes(
    collectivities=8,
    users=16,
    knowledge=30,
    events=6,
    registrations=30,
    questions=6,
    answers=12,
)


@pytest.mark.django_db
def test_the_mutual_aid_pages_are_measured_as_a_member(tmp_path):
    generate(TINY, seed=6)

    targets = step_targets(types.SimpleNamespace())
    member_only = {t["name"]: t for t in targets["targets"] if t.get("member")}
    assert set(member_only) == {"aid", "aid-filtered", "aid-question"}
    assert member_only["aid"]["paths"] == ["/entraide/"]
    assert member_only["aid-question"]["paths"][0].startswith("/entraide/")

    path = tmp_path / "targets.json"
    path.write_text(json.dumps(targets))
    pages = step_queries(types.SimpleNamespace(targets=str(path)))["pages"]

    for name in member_only:
        # Answered to the member (not the login page), rendered each time.
        assert pages[name]["first"]["status"] == 200, name
        assert pages[name]["second"]["queries"] > 0, name
    assert "/entraide/" not in {
        p for t in targets["targets"] if not t.get("member") for p in t["paths"]
    }

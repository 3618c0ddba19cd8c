"""Shared helpers of `seed_demo`: the data-file loader, the idempotent page upsert,
and the site-wide demo pages and footer.

The demo content itself is data, in `retex/demo_data/*.yaml` (see the README
there): this module loads and checks those files (`load_demo_data`), and the
`demo.py` of each app only turns their records into field values (resolving
slugs, dates given as offsets from today...).

The command is idempotent, so it can be run on every fresh database and again after
each deploy of a demo site:

- every page it manages has a fixed slug and is looked up by that slug under its
  parent; it is created when missing and updated in place otherwise, so a rerun
  never adds a page;
- a page is only re-published when one of its fields actually differs from the
  wanted value (StreamFields are compared block by block, without their random
  ids), so a rerun on the same day creates no revision at all;
- dates are offsets from today rather than random values: a rerun on the same day
  changes nothing, a rerun on a later day moves the dates by the same amount;
- many-to-many values (themes...) are compared as sets of primary keys, and child
  objects (interviewees...) field by field, so they are only rewritten, and the
  page re-published, when they differ;
- it never deletes anything: pages written by editors are left alone, and an index
  page an editor removed is created again under the home page.
"""

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.db.models import Choices, Model
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.blocks import StreamValue, StructBlock
from wagtail.models import PageViewRestriction

from retex.models import HomePage, SiteSettings, StandardPage
from retex.visibility import MEMBERS_GROUP

DATA_DIR = Path(__file__).resolve().parent / "demo_data"

# --- Data files --------------------------------------------------------------------
# A schema says what a data file holds: a dict maps each key to the schema of its
# value (a key ending in "?" may be left out; any other key is an error); a list of
# one schema is a list of such values; a type (str, int, bool, date) is checked; a
# Choices class takes a stored value or a member name and gives the stored value;
# CLOCK is a "HH:MM" string, given as (hour, minute); Stream(Model, "body") is a
# StreamField body, a list of `block_type: value` pairs, validated by the field's
# own blocks and given as StreamField raw data.

# libyaml's loader when PyYAML was built with it: ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CLOCK = "clock"


@dataclass(frozen=True)
class Stream:
    model: type
    field_name: str = "body"

    def check(self, value, fail):
        stream_block = self.model._meta.get_field(self.field_name).stream_block
        if not isinstance(value, list):
            fail(f"expected a list of blocks, got {_describe(value)}")
        raw = []
        for i, block in enumerate(value):
            if not (isinstance(block, dict) and len(block) == 1):
                fail(f"block {i}: expected one 'block_type: value' pair, got {block!r}")
            ((block_type, block_value),) = block.items()
            child = stream_block.child_blocks.get(block_type)
            if child is None:
                known = ", ".join(stream_block.child_blocks)
                fail(f"block {i}: unknown block type {block_type!r} (known: {known})")
            if isinstance(child, StructBlock) and isinstance(block_value, dict):
                unknown = sorted(set(block_value) - set(child.child_blocks))
                if unknown:
                    fail(f"block {i} ({block_type}): unknown key {unknown[0]!r}")
            raw.append({"type": block_type, "value": block_value})
        try:
            stream_block.clean(stream_block.to_python(raw))
        except ValidationError as error:
            # Wagtail's block errors say which block and which of its fields.
            json_data = getattr(error, "as_json_data", None)
            details = json_data() if json_data else error.messages
            fail(f"invalid blocks: {details}")
        return raw


class DemoDataError(CommandError):
    """A data file that does not follow its schema: nothing is written."""


def _describe(value):
    return type(value).__name__ if value is not None else "nothing"


def _check(value, schema, where):
    """The value, checked against schema and converted; raise DemoDataError."""

    def fail(problem):
        raise DemoDataError(f"{where}: {problem}" if where else problem)

    if isinstance(schema, dict):
        if not isinstance(value, dict):
            fail(f"expected a mapping, got {_describe(value)}")
        keys = {key.rstrip("?"): key.endswith("?") for key in schema}
        unknown = sorted(set(value) - set(keys))
        if unknown:
            fail(f"unknown key {unknown[0]!r} (known keys: {', '.join(keys)})")
        missing = [key for key, optional in keys.items() if not optional]
        missing = [key for key in missing if key not in value]
        if missing:
            fail(f"missing key {missing[0]!r}")
        checked = {}
        for key, sub in schema.items():
            name = key.rstrip("?")
            if name in value:
                inner = f"{where}.{name}" if where else name
                checked[name] = _check(value[name], sub, inner)
        return checked
    if isinstance(schema, list):
        if not isinstance(value, list):
            fail(f"expected a list, got {_describe(value)}")
        items = []
        for i, item in enumerate(value):
            label = ""
            if isinstance(item, dict):
                label = item.get("slug") or item.get("email") or ""
            label = f" ({label})" if label else ""
            items.append(_check(item, schema[0], f"{where}[{i}]{label}"))
        return items
    if schema == CLOCK:
        if not (isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value)):
            fail(f"expected a time as 'HH:MM' (quoted), got {value!r}")
        hour, minute = int(value[:2]), int(value[3:])
        if hour > 23 or minute > 59:
            fail(f"no such time: {value!r}")
        return (hour, minute)
    if isinstance(schema, Stream):
        return schema.check(value, fail)
    if isinstance(schema, type) and issubclass(schema, Choices):
        if value in schema.values:
            return value
        if isinstance(value, str) and value in schema.names:
            return schema[value].value
        fail(f"{value!r} is not one of {', '.join(map(str, schema.values))}")
    if schema is int and isinstance(value, bool):
        fail(f"expected an int, got {value!r}")
    if schema is date and not isinstance(value, date):
        fail(f"expected a date (YYYY-MM-DD), got {value!r}")
    if not isinstance(value, schema):
        fail(f"expected {schema.__name__}, got {_describe(value)} {value!r}")
    return value


def load_demo_data(name, schema, directory=None):
    """The records of `demo_data/<name>.yaml`, checked against schema.

    Raises DemoDataError, naming the file and the faulty key, on a malformed file.
    """
    path = Path(directory or DATA_DIR) / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as file:
            data = yaml.load(file, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except OSError as error:
        raise DemoDataError(f"{path}: cannot be read ({error}).") from None
    except yaml.YAMLError as error:
        raise DemoDataError(f"{path}: not valid YAML: {error}") from None
    try:
        return _check(data, schema, "")
    except DemoDataError as error:
        raise DemoDataError(f"{path}: {error}") from None


def resolve(objects, keys, what):
    """The objects of a {key: object} dict, in the order of keys, or a clear error."""
    try:
        return [objects[key] for key in keys]
    except KeyError as error:
        raise CommandError(
            f"No {what} {error.args[0]!r}: run the migrations, and check the demo "
            "data (slugs and emails)."
        ) from None


def resolve_one(objects, key, what):
    return resolve(objects, [key], what)[0]


# --- Site pages --------------------------------------------------------------------

SITE_SCHEMA = {
    "home": {"hero_title": str, "hero_text": str},
    "indexes": [{"model": str, "title": str, "slug": str, "intro": str}],
    "pages": [{"slug": str, "title": str, "lead": str, "body": Stream(StandardPage)}],
    "settings": {
        "association_name": str,
        "footer_text": str,
        "contact_email": str,
        "contact_phone": str,
        "postal_address": str,
    },
    "footer_links": [{"label": str, "page": str}],
}


def load_site():
    return load_demo_data("site", SITE_SCHEMA)


# --- Logic -------------------------------------------------------------------------


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_model: dict = field(default_factory=dict)

    def count(self, model, action):
        setattr(self, action, getattr(self, action) + 1)
        counts = self.by_model.setdefault(model.__name__, {})
        counts[action] = counts.get(action, 0) + 1


def comparable(obj, name):
    """A field's value in a form that compares equal when the content is the same.

    StreamField blocks get a new random id each time they are assigned, so they are
    compared by block type and stored value only.
    """
    value = getattr(obj, name)
    if isinstance(value, StreamValue):
        return [
            (child.block_type, child.block.get_prep_value(child.value))
            for child in value
        ]
    return value


def _model_field(obj, name):
    try:
        return obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _pk(value):
    return value.pk if isinstance(value, Model) else value


def _apply_many_to_many(obj, name, model_field, wanted):
    """Set a ParentalManyToManyField from objects or primary keys.

    Compared as sets of primary keys; the new value stays in memory (modelcluster)
    until the page is saved, which a revision's publication does.
    """
    wanted_pks = {_pk(value) for value in wanted}
    if obj.pk is None and name not in getattr(obj, "_cluster_related_objects", {}):
        current_pks = set()  # An unsaved object has no relation in the database.
    else:
        current_pks = {related.pk for related in getattr(obj, name).all()}
    if current_pks == wanted_pks:
        return False
    objects = list(model_field.related_model.objects.filter(pk__in=wanted_pks))
    if len(objects) != len(wanted_pks):
        raise CommandError(f"{name}: some of {sorted(wanted_pks)} do not exist.")
    setattr(obj, name, objects)
    return True


def _apply_children(obj, name, relation, wanted):
    """Replace the child objects of a ParentalKey relation (e.g. interviewees).

    `wanted` is a list of dicts of field values, in order; the sort order of
    orderable children follows it. The children are compared field by field
    (foreign keys by primary key) and only replaced when one differs, so that a
    rerun neither rewrites them nor re-publishes the page.
    """
    model = relation.related_model
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f is not relation.field
    ]
    orderable = any(f.name == "sort_order" for f in fields)
    children = [
        model(**({"sort_order": i} if orderable else {}), **values)
        for i, values in enumerate(wanted)
    ]

    def rows(objects):
        return [[getattr(o, f.attname) for f in fields] for o in objects]

    if obj.pk is None and name not in getattr(obj, "_cluster_related_objects", {}):
        current = []  # An unsaved object has no children in the database.
    else:
        current = list(getattr(obj, name).all())
    if rows(current) == rows(children):
        return False
    setattr(obj, name, children)
    return True


def apply_fields(obj, values):
    """Set the wanted values on obj and tell whether anything differed.

    Besides plain fields and StreamField raw data, a value may be given for a
    ParentalManyToManyField (a list of objects or primary keys) or for a child
    relation of a ParentalKey (a list of dicts of the children's field values).
    """
    changed = False
    for name, value in values.items():
        model_field = _model_field(obj, name)
        if isinstance(model_field, ParentalManyToManyField):
            changed |= _apply_many_to_many(obj, name, model_field, value)
            continue
        if model_field is not None and model_field.one_to_many:
            if not isinstance(model_field.field, ParentalKey):
                raise CommandError(f"{name}: only ParentalKey children can be set.")
            changed |= _apply_children(obj, name, model_field, value)
            continue
        previous = getattr(obj, name)
        before = comparable(obj, name)
        if isinstance(value, tuple | list):
            # StreamField raw data: Wagtail adds ids to it in place, keep ours intact.
            value = copy.deepcopy(list(value))
        setattr(obj, name, value)
        if comparable(obj, name) == before:
            setattr(obj, name, previous)  # Keep the stored block ids.
        else:
            changed = True
    return changed


def publish(page):
    page.save_revision().publish()


def upsert_page(parent, model, slug, values, stats):
    """Create the page with this slug under parent, or update it, and publish it."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug, live=False)
        apply_fields(page, values)
        parent.add_child(instance=page)
        publish(page)
        stats.count(model, "created")
        return page
    page = existing.specific
    if not isinstance(page, model):
        raise CommandError(
            f"{page.url_path} is a {type(page).__name__}, not a {model.__name__}: "
            "rename its slug or delete it, then run the command again."
        )
    if apply_fields(page, values) or not page.live:
        publish(page)
        stats.count(model, "updated")
    else:
        stats.count(model, "unchanged")
    return page


def restrict_to_members(page):
    """Make page members-only: a view restriction to the "Membres" group.

    Reuses the page's group restriction when it has one (adding the group to it if
    needed), so that a rerun never adds a second restriction. Returns whether
    anything was created or changed.
    """
    group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).first()
    changed = False
    if restriction is None:
        restriction = PageViewRestriction(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.save()
        changed = True
    if not restriction.groups.filter(pk=group.pk).exists():
        restriction.groups.add(group)
        changed = True
    return changed


def get_home():
    home = HomePage.objects.first()
    if home is None:
        raise CommandError("No home page: run `manage.py migrate` first.")
    return home


def seed_home(home, site, stats):
    if apply_fields(home, site["home"]):
        publish(home)
        stats.count(HomePage, "updated")
    else:
        stats.count(HomePage, "unchanged")


def seed_indexes(home, site, stats):
    """Return the index pages by model, creating any an editor has deleted."""
    indexes = {}
    for data in site["indexes"]:
        try:
            model = apps.get_model(data["model"])
        except (LookupError, ValueError):
            raise DemoDataError(
                f"site indexes: no page model {data['model']!r}."
            ) from None
        page = model.objects.first()  # max_count = 1, always under the home page.
        if page is None:
            values = {"title": data["title"], "intro": data["intro"]}
            page = upsert_page(home, model, data["slug"], values, stats)
        elif apply_fields(page, {"intro": data["intro"]}) or not page.live:
            publish(page)
            stats.count(model, "updated")
        else:
            stats.count(model, "unchanged")
        indexes[model] = page
    return indexes


def seed_standard_pages(home, site, stats):
    pages = {}
    for data in site["pages"]:
        values = {"title": data["title"], "lead": data["lead"], "body": data["body"]}
        pages[data["slug"]] = upsert_page(
            home, StandardPage, data["slug"], values, stats
        )
    return pages


def seed_site_settings(site, standard_pages):
    """Fill the footer settings; return whether they changed."""
    site_settings = SiteSettings.load()
    links = [
        {
            "type": "link",
            "value": {
                "label": link["label"],
                "page": resolve_one(standard_pages, link["page"], "standard page").pk,
                "url": "",
            },
        }
        for link in site["footer_links"]
    ]
    if not apply_fields(site_settings, {**site["settings"], "footer_links": links}):
        return False
    site_settings.full_clean()
    site_settings.save()
    return True

"""A page's declared dependencies cover every object its template reads.

A page is rendered again only when an object it names in `depends_on` changes
(plugins/council/depends.py). A template that shows something of an object the page does not
name keeps showing the old value after an edit, until something else renders the page. Here
every page of the demo is rendered with the model objects wrapped in a proxy that notes whose
content file each attribute read comes from, and that set must lie within the declared ones.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pelican import signals

from plugins.council.generator import CouncilGenerator
from plugins.council.graph import (AgendaItem, Body, Consultation, File, Meeting, Membership, Organization, Paper,
                                   Person, Term)
from plugins.council.plan import plan
from plugins.council.render import Renderer
from ratsinfo.build import build_site
from tests.conftest import DEMO_TODAY

# Objects with a content file of their own, and those kept in another's file.
KEYED = (Body, Term, Organization, Person, Meeting, Paper, File)
OWNER = {Membership: "person", AgendaItem: "meeting", Consultation: "paper"}
# Reading these cannot change a page's bytes: an object with another id is another object.
UNCHANGING = {"id", "key", "kind"}


class Traced:
    """A model object as a template sees it; each attribute read notes whose file it comes from.
    Properties and methods run on the proxy, so what they read is noted too."""

    __slots__ = ("_target", "_owner", "_touched")

    def __init__(self, target, touched: set):
        owner = target if isinstance(target, KEYED) else getattr(target, OWNER[type(target)])
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_owner", owner.key)
        object.__setattr__(self, "_touched", touched)

    def __getattr__(self, name):
        target = self._target
        on_class = getattr(type(target), name, None)
        if isinstance(on_class, property):
            value = on_class.fget(self)
        elif callable(on_class) and not isinstance(on_class, type):
            def value(*args, **kwargs):
                return trace(on_class(self, *args, **kwargs), self._touched)
        else:
            value = getattr(target, name)
        if name not in UNCHANGING and not name.startswith("__"):
            self._touched.add(self._owner)
        return trace(value, self._touched)

    def __eq__(self, other):
        return self._target is (other._target if isinstance(other, Traced) else other)

    def __hash__(self):
        return hash(self._target)


def trace(value, touched: set):
    if isinstance(value, Traced):
        return value
    if isinstance(value, KEYED) or type(value) in OWNER:
        return Traced(value, touched)
    if isinstance(value, list):
        return [trace(v, touched) for v in value]
    if isinstance(value, tuple):
        return tuple(trace(v, touched) for v in value)
    if isinstance(value, dict):
        return {k: trace(v, touched) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def council(demo_content, tmp_path_factory) -> CouncilGenerator:
    """The council generator of a real build of the demo, with the context every plugin added."""
    found = []

    def keep(generators):
        found.extend(g for g in generators if isinstance(g, CouncilGenerator))

    signals.all_generators_finalized.connect(keep)
    try:
        build_site(demo_content, tmp_path_factory.mktemp("site") / "output", overrides={
            "RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False, "RATSINFO_CACHE": False,
            "PUBLIC_URL": "https://rat.example/"})
    finally:
        signals.all_generators_finalized.disconnect(keep)
    return found[-1]


def test_every_page_depends_on_every_object_its_template_reads(council, tmp_path):
    data_as_of = council.data_as_of()
    site = {**council.site_context(data_as_of), "search_bundles": [], "search_files": "pagefind/"}
    renderer = Renderer(council.get_template, council.context, site, Path(tmp_path), None)
    specs = plan(council.graph, council.today(), data_as_of, offers=council.context.get("council_offers") or {},
                 search_page="suche.html")
    body = {("body", b.id) for b in council.graph.bodies.values()}  # every page: the site's fingerprint
    undeclared, rendered = {}, set()
    for spec in specs:
        touched = set()
        page = renderer.render_bytes(replace(spec, context=trace(spec.context, touched)))
        # The proxies render what the objects render.
        assert page == renderer.render_bytes(spec), spec.path
        rendered.add(spec.template)
        missing = touched - body - spec.depends_on
        if missing:
            undeclared[spec.path] = sorted(missing)
    assert not undeclared, "\n".join(f"{path}: {keys[:8]}" for path, keys in sorted(undeclared.items())[:20])
    # Every kind of page was checked.
    assert rendered >= {"home", "search", "meetings", "meetings_year", "meeting", "calendar", "papers", "papers_list",
                        "paper", "persons", "person", "organizations", "organization", "terms", "term", "file"}


def test_the_proxy_notes_what_a_property_reads():
    """A meeting without a name is titled after its committee: reading the title reads the committee."""
    committee = Organization(id="o1", source=None, name="Bauausschuss")
    meeting = Meeting(id="m1", source=None, name=None, organizations=[committee])
    touched = set()
    assert trace(meeting, touched).title == "Sitzung Bauausschuss"
    assert touched == {("meeting", "m1"), ("organization", "o1")}

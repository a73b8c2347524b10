"""The report's pictures (render/pictures.py): well-formed SVG, every label escaped, what each draws."""

import xml.etree.ElementTree as ET

from lingkaran.readmodels.report import domain_series
from lingkaran.render import pictures

SVG = ""  # inline in HTML, an <svg> needs no namespace (and the report names no address at all)
NASTY = '<script>alert("x")</script> & Tom'


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def texts(svg: str) -> list[str]:
    return [element.text for element in parsed(svg).iter(f"{SVG}text")]


def test_the_ring_names_the_seven_steps_and_fills_those_reached():
    ring = parsed(pictures.cycle_ring("planning"))
    assert [label for label in texts(pictures.cycle_ring("planning"))][:7] == [
        "Engagement",
        "Assessment",
        "Planning",
        "Intervention",
        "Monitoring",
        "Evaluation",
        "Termination",
    ]
    dots = [circle for circle in ring.iter(f"{SVG}circle")][1:]
    assert [dot.get("fill") != "#fff" for dot in dots] == [True, True, True, False, False, False, False]
    assert ring.find(f"{SVG}title").text == "The intervention cycle: now Planning"


def test_a_closed_case_has_every_step_reached():
    dots = list(parsed(pictures.cycle_ring("termination", closed=True)).iter(f"{SVG}circle"))[1:]
    assert all(dot.get("fill") != "#fff" for dot in dots)


def test_the_ecomap_draws_each_tie_and_flow_and_escapes_every_name():
    systems = [
        {"system": NASTY, "tie": "stressful", "flow": "in"},
        {"system": "School", "tie": "strong", "flow": "both"},
        {"system": "Mosque", "tie": "tenuous", "flow": None},
    ]
    svg = pictures.ecomap(NASTY, systems)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    lines = list(parsed(svg).iter(f"{SVG}line"))
    assert len(lines) == 3
    assert lines[0].get("stroke") == "#b3261e" and lines[0].get("marker-start") and not lines[0].get("marker-end")
    assert lines[1].get("marker-start") and lines[1].get("marker-end") and lines[1].get("stroke-width") == "4"
    assert lines[2].get("stroke-dasharray") and not lines[2].get("marker-start")


def test_ratings_are_drawn_per_person_so_one_persons_rating_is_never_anothers_change():
    assessments = [
        {"member_id": None, "assessed_on": "2026-06-01", "ratings": {"education": 2}},
        {"member_id": 7, "assessed_on": "2026-06-05", "ratings": {"education": 5}},
        {"member_id": None, "assessed_on": "2026-06-09", "ratings": {"education": 3}},
    ]
    series = domain_series(assessments, [{"id": 7, "name": "Budi"}])
    assert series == [
        {"label": "Education", "ratings": [{"on": "2026-06-01", "score": 2}, {"on": "2026-06-09", "score": 3}]},
        {"label": "Education (Budi)", "ratings": [{"on": "2026-06-05", "score": 5}]},
    ]
    svg = pictures.domain_ratings(series)
    assert len(list(parsed(svg).iter(f"{SVG}polyline"))) == 1  # a line only where one person has two ratings
    assert texts(svg)[:2] == ["Education", "3/5"]

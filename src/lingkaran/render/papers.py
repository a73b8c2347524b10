"""The papers to print and sign (`lingkaran paper`) as self-contained HTML, laid out by templates/paper_*.html
with print styles (A4, signature lines). Every value is escaped: the templates autoescape, as the report's do."""

from lingkaran.render.report import environment

PAPERS = ("plan", "consent", "referral")


def render(paper: str, content: dict, language: str) -> str:
    """One paper (plan, consent or referral) as one HTML file."""
    return environment("html").get_template(f"paper_{paper}.html").render(**content, language=language)

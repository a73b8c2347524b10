"""lingkaran: the social-work intervention cycle as a command-line caseload tool."""

__version__ = "0.1.0"

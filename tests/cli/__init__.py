"""Tests through the Typer app in-process (CliRunner), on a real caseload file."""

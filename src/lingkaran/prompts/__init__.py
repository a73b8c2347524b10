"""Guided flows (questionary imported only here, only when a prompt is shown)."""

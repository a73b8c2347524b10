"""The writes: one transaction each, with its event."""

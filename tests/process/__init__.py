"""Tests of the installed `lingkaran` command as real processes: terminals, kills, concurrency, start-up."""

"""Run lingkaran as `python -m lingkaran`."""

from lingkaran.cli import main

main()

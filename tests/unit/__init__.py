"""Tests of pure functions, the domain, and the store on a real file, without the command line."""

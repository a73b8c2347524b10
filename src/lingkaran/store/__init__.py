"""Storage: the only package that speaks SQL. `database` opens and migrates; the others read and write."""

"""The agency hub: every PostgreSQL statement lingkaran sends, and the only place psycopg is imported.

`url` checks a hub address without loading psycopg (so `config set hub` stays light); `connection` opens one and
turns psycopg's failures into lingkaran's errors; `migrations` creates or upgrades the hub's schema; `sync` pushes
and pulls events; `workers` manages the login roles and reports the hub's status. See docs/design.md, "The agency hub".
"""

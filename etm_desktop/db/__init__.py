"""Storage: the typed ORM schema, opening a database, migrations."""

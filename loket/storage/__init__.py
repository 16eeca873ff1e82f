"""Storage: SQLAlchemy models, migrations, and the writes that keep dossiers safe."""

"""Backups of the database and restoring them: `vsc backup` and `vsc restore`."""

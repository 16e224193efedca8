"""Data files shipped with imgdesk (model catalog, token packs)."""

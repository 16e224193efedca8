"""Translations: imgdesk_<lang>.ts sources (scripts/update_translations.sh) and their built .qm."""

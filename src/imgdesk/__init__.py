"""imgdesk: prompt-driven masked edits of real photos at full resolution."""

__version__ = "0.1.0"

"""Qt-free domain code: images, masks, planning, compositing, catalog, engines, stores.

Nothing under this package may import PySide6 (ruff's banned-api rule and a test enforce it), so
the command line and tests can use all of it without a QApplication.
"""

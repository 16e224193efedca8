"""QObject models: the app's state and actions, observed by the widgets in `imgdesk.ui`."""

"""Qt widgets. Thin: they render models from `imgdesk.models` and forward user input to them."""

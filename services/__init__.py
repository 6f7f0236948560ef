"""The domain: use-cases over Piccolo tables; no HTTP, no templates, no queue."""

"""Pages anyone may see without logging in."""

"""Pages of a regional council, under /r/{region_slug}."""

"""Pages of a business, under /o/{organisasjonsnummer}."""

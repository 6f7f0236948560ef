"""Pages of a municipality's own staff, under /k/{kommunenummer}."""

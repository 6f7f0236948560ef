"""The demo data of DOMAIN.md, loaded through the use-cases so it obeys every rule real data does."""

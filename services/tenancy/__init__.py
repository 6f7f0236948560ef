"""The operator's and the tenants' own use-cases over regions, municipalities, organisations and people."""

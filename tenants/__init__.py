"""Who the tenant is and how it is kept apart: municipalities, regions, persons, memberships."""

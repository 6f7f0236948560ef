"""The platform operator's pages: regions, municipalities and their first admins."""

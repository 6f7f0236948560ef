"""The grant pages: the public calls, the municipality's funds and cases, the applicant's own."""

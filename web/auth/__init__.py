"""Login with ID-porten, server-side sessions, the principal of each request, guards."""

"""Who may act where: sign-in events, memberships granted and removed, invitations, registrations."""

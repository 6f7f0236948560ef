"""A person's own pages: their memberships, switching between them, invitations, registering a business."""

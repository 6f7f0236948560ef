"""Pages of PLP projects: the list with its filters and exports, a project and its decisions."""

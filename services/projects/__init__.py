"""PLP projects: sub-projects, decision points and regional cost shares."""

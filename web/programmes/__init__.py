"""Pages of programmes: the overview with budgets per strategy area and KPIs against targets."""

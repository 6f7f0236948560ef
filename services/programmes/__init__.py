"""Programmes: an omstilling or næringsutvikling programme, its stages, plans, budget and KPIs."""

"""Dashboards: what awaits each user, read across the claim, invoice and paper domains."""

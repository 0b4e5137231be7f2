"""Expense claims: drafting, the approval workflow, travel policy findings and substitutes."""

"""Railway e-invoices: parsing, intake, storage links and reads."""

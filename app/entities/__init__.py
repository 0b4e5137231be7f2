"""Legal entities: the buyers an invoice may name, with their tax status and archive fonds code."""

"""Posting: the use cases that book, pay and reverse, above the ledger and the archive."""

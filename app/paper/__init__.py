"""Transition-period paper 报销凭证: registration, scans and receipt of the physical originals."""

"""The ledger: journal vouchers with deductible input VAT, gap-free numbering, periods, exports."""

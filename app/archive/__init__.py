"""The electronic accounting archive: per-voucher records, BagIt exports and the 四性 checks."""

"""railclaim: railway e-invoice reimbursement, bookkeeping and archiving service."""

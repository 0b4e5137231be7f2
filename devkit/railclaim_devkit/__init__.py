"""railclaim's dev kit: fixture generators the product never imports (installed with `make`)."""

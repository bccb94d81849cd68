"""The accounts domain: customers, staff, addresses, credentials, permission groups, audit log."""

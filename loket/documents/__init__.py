"""Documents as PDF bytes and exports: receipt, return slip, permit, register. No Qt."""

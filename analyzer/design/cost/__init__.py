"""What a cut would cost: entry points and their call trees, transactions, joins, chatty calls."""

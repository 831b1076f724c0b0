"""No admin pages: mailings are run from /mailings/staff/, and deliveries (with their tokens' hashes) are
never listed anywhere staff could copy an unsubscribe link from."""

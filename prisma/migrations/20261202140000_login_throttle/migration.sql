-- Failed logins are counted per (username, IP), IP and username in the login-throttle store
-- (Redis or memory), no longer on the account row: the per-account counter let anyone lock any account.
ALTER TABLE "users" DROP COLUMN "failed_logins", DROP COLUMN "locked_until";

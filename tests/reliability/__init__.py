"""The reliability and security suite: kill, starve, feed garbage, look for leaked keys."""

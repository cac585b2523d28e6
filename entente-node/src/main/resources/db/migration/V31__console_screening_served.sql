-- The console screens through the node's own watchlists (the screening service), like the API:
-- the lists uploaded for one session are gone, and with them whatever a session still held.
DROP TABLE console_watchlist;

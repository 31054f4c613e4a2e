-- Full-text indexes with a prefix index for every length up to 10 (was 2, 3 and 4). FTS5 reads a
-- prefix it has no index for by merging the doclists of every word that starts with it before
-- giving a row: the "d" of "D'Almeida", the "atelier" of a company name, the first name of an
-- e-mail each cost 5-60 ms at 1M contacts; with the index they are read step by step and an AND
-- seeks through them (bench/README.md, "Search with prefix indexes"). The index roughly doubles
-- (160 -> 353 MB at 1M contacts); rebuilding takes about 85 s per million rows.
CREATE VIRTUAL TABLE contacts_search_rebuilt USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10');
INSERT INTO contacts_search_rebuilt(rowid, body) SELECT rowid, body FROM contacts_search;
DROP TABLE contacts_search;
ALTER TABLE contacts_search_rebuilt RENAME TO contacts_search;
CREATE VIRTUAL TABLE accounts_search_rebuilt USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10');
INSERT INTO accounts_search_rebuilt(rowid, body) SELECT rowid, body FROM accounts_search;
DROP TABLE accounts_search;
ALTER TABLE accounts_search_rebuilt RENAME TO accounts_search;
CREATE VIRTUAL TABLE households_search_rebuilt USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10');
INSERT INTO households_search_rebuilt(rowid, body) SELECT rowid, body FROM households_search;
DROP TABLE households_search;
ALTER TABLE households_search_rebuilt RENAME TO households_search;

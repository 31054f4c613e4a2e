-- A GIN index adds new rows to a pending list that every search through it reads in full until
-- (auto)vacuum merges it; 4 MB by default, it cost 1-3 ms per search at 20,000 contacts
-- (bench/README.md). 64 kB keeps inserts batched and the list's reading short.
ALTER INDEX contacts_search_tsv SET (gin_pending_list_limit = 64);
ALTER INDEX accounts_search_tsv SET (gin_pending_list_limit = 64);
ALTER INDEX households_search_tsv SET (gin_pending_list_limit = 64);

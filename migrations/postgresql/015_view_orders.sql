-- The 360° view's lists read in their order from an index instead of sorted (sqlite/015_view_orders.sql):
-- a household's members and an account's contacts by last name, a customer's follow-ups by due
-- date. NULLS FIRST as everywhere here: a backward scan then gives DESC NULLS LAST.
DROP INDEX contacts_account;
DROP INDEX contacts_household;
DROP INDEX tasks_contact;
DROP INDEX tasks_account;
CREATE INDEX contacts_account ON contacts(account_id, last_name NULLS FIRST) WHERE account_id IS NOT NULL;
CREATE INDEX contacts_household ON contacts(household_id, last_name NULLS FIRST) WHERE household_id IS NOT NULL;
CREATE INDEX tasks_contact ON tasks(contact_id NULLS FIRST, due_at NULLS FIRST);
CREATE INDEX tasks_account ON tasks(account_id NULLS FIRST, due_at NULLS FIRST);

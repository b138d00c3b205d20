-- The section of the unit a user works in (内设机构: 办公室, 社会救助处 …):
-- whom a document is assigned to is named with it.
ALTER TABLE users ADD COLUMN section TEXT;

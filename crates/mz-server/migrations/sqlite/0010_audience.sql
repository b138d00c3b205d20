-- Who may read a record beyond its kind's scope (a confidential activity of
-- the leaders' schedule): NULL for everyone the scope reaches, else the
-- tokens of its audience, each between commas (",u:<user id>,r:<role>,").
ALTER TABLE records ADD COLUMN audience TEXT;
ALTER TABLE changes ADD COLUMN audience TEXT;
-- A change withheld from these tokens: when a record's audience narrows, a
-- tombstone goes to those who lost it and is hidden from those who keep it.
ALTER TABLE changes ADD COLUMN hidden TEXT;

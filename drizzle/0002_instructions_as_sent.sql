-- A run's instructions are now what the runner reports it sent, not a copy the API composed:
-- the old column held that copy (never what the models received), so it goes, and both
-- columns start empty until a run's runner reports them. Columns are dropped and added in
-- place (no table rebuild): rowids stay, so the prompt index and its triggers stay valid.
ALTER TABLE `runs` DROP COLUMN `system_instructions`;--> statement-breakpoint
ALTER TABLE `runs` ADD `system_instructions` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `codex_instructions` text;

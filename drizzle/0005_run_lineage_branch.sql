ALTER TABLE `runs` ADD `retry_of_run_id` text REFERENCES runs(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `runs` ADD `base_commit` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `branch` text;
ALTER TABLE `projects` ADD `full_access` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `full_access` integer DEFAULT false NOT NULL;
-- Patterns become things with a record: the runs given one point at it (pattern_id), their
-- failures leave pitfalls, experiments group attempts. Runs that learned before this keep
-- counting: a pattern is made for the sources of each injected pattern, and they point at it.
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`prompt` text NOT NULL,
	`from_run_id` text,
	`attempts` integer NOT NULL,
	`arms` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pattern_pitfalls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pattern_id` text NOT NULL,
	`run_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pattern_id`) REFERENCES `patterns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pattern_pitfalls_pattern_idx` ON `pattern_pitfalls` (`pattern_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pattern_pitfalls_run_unique` ON `pattern_pitfalls` (`run_id`);--> statement-breakpoint
CREATE TABLE `patterns` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`source_key` text NOT NULL,
	`source_run_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patterns_project_sources_unique` ON `patterns` (`project_id`,`source_key`);--> statement-breakpoint
ALTER TABLE `runs` ADD `pattern_id` text REFERENCES patterns(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `learn_reason` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `verified` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `review` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `turns` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `experiment_id` text REFERENCES experiments(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `experiment_arm` text;--> statement-breakpoint
CREATE INDEX `runs_pattern_idx` ON `runs` (`pattern_id`);--> statement-breakpoint
CREATE INDEX `runs_experiment_idx` ON `runs` (`experiment_id`);--> statement-breakpoint
INSERT OR IGNORE INTO `patterns` (`id`, `project_id`, `source_key`, `source_run_ids`, `created_at`)
SELECT 'pat_' || lower(hex(randomblob(13))), `project_id`, `source_key`, `source_run_ids`, min(`created_at`)
FROM (
  SELECT `project_id`, `created_at`,
    (SELECT group_concat(`value`, ',') FROM (SELECT `value` FROM json_each(`pattern`, '$.sourceRunIds') ORDER BY `value`)) AS `source_key`,
    (SELECT json_group_array(`value`) FROM (SELECT `value` FROM json_each(`pattern`, '$.sourceRunIds') ORDER BY `value`)) AS `source_run_ids`
  FROM `runs` WHERE `pattern` IS NOT NULL
)
GROUP BY `project_id`, `source_key`;--> statement-breakpoint
UPDATE `runs` SET
  `pattern_id` = (
    SELECT `patterns`.`id` FROM `patterns`
    WHERE `patterns`.`project_id` = `runs`.`project_id`
      AND `patterns`.`source_key` = (SELECT group_concat(`value`, ',') FROM (SELECT `value` FROM json_each(`runs`.`pattern`, '$.sourceRunIds') ORDER BY `value`))
  ),
  `learn_reason` = '{"by":"person"}'
WHERE `pattern` IS NOT NULL;--> statement-breakpoint
-- Patterns injected before pitfalls existed held none: say so, so every stored pattern has the field.
UPDATE `runs` SET `pattern` = json_set(`pattern`, '$.pitfalls', json('[]'))
WHERE `pattern` IS NOT NULL AND json_type(`pattern`, '$.pitfalls') IS NULL;

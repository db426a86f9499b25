import type { RouterInputs } from '@retrace/api';
import { defineCommand, UsageError } from './command';
import { announceRun, followRun } from './follow';
import {
  dim,
  formatGit,
  formatLearnReason,
  formatLineage,
  formatRunLine,
  formatStep,
  formatVerified,
  green,
  lineageIds,
  red,
  statusText,
} from './render';
import { print, resolveLearning, resolveProject, resolveRunId, runNumbers } from './resolve';

type Profile = NonNullable<RouterInputs['runs']['create']['profile']>;
const PROFILES: Record<Profile, true> = { batch: true, readonly: true };
const isProfile = (value: string): value is Profile => Object.hasOwn(PROFILES, value);

export const startRun = defineCommand({
  name: 'run',
  args: ['project', 'prompt'],
  options: ['learn-from', 'auto-learn', 'from', 'profile'],
  about: 'start a run and stream it live; exits 1 if it fails (--learn-from or --auto-learn, not both)',
  async run({ client, args, values }) {
    const project = await resolveProject(client, args.project);
    const { profile } = values;
    if (profile !== undefined && !isProfile(profile))
      throw new UsageError(`--profile is ${Object.keys(PROFILES).join(' or ')}, not "${profile}"`);
    const run = await client.runs.create.mutate({
      projectId: project.id,
      prompt: args.prompt,
      ...(await resolveLearning(client, values, project)),
      ...(profile ? { profile } : {}),
    });
    if (!values.json) announceRun(run, project.name);
    return followRun(client, run.id, Boolean(values.json));
  },
});

export const retryRun = defineCommand({
  name: 'retry',
  args: ['run'],
  options: [],
  about: 'run a run again (its prompt, pattern, workspace, profile), streamed live; exits 1 if it fails',
  async run({ client, args, values }) {
    const original = await client.runs.get.query({ id: await resolveRunId(client, args.run) });
    const run = await client.runs.retry.mutate({ id: original.id });
    if (!values.json) {
      const project = await client.projects.get.query({ id: run.projectId });
      announceRun(run, `${project.name}, a retry of #${original.number}`);
    }
    return followRun(client, run.id, Boolean(values.json));
  },
});

export const showRun = defineCommand({
  name: 'show',
  args: ['run'],
  options: [],
  about: 'a run: its steps, the runs it came from, why it got its pattern, its verdict, its commits',
  async run({ client, args, values }) {
    const id = await resolveRunId(client, args.run);
    const run = await client.runs.get.query({ id });
    const steps = await client.runs.steps.query({ id, limit: 1000 });
    const numbers = values.json ? new Map<string, number>() : await runNumbers(client, lineageIds(run));
    print(values, { run, steps: steps.items }, () => {
      console.log(formatRunLine(run));
      console.log(dim(run.prompt));
      if (run.error) console.log(red(run.error));
      if (run.summary) console.log(green(run.summary));
      const verified = formatVerified(run);
      if (verified) console.log(verified);
      for (const line of formatLineage(run, numbers)) console.log(line);
      const reason = formatLearnReason(run.learnReason);
      if (reason) console.log(`pattern: ${reason}`);
      if (run.review)
        console.log(
          `review: ${run.review.verdict === 'approve' ? green('approved') : red('rejected')}${run.review.note ? ` — ${run.review.note}` : ''}`,
        );
      for (const step of steps.items) console.log(formatStep(step));
      for (const line of formatGit(run)) console.log(line);
      if (run.workspacePath) console.log(dim(`workspace: ${run.workspacePath}`));
    });
    return 0;
  },
});

export const showPattern = defineCommand({
  name: 'pattern',
  args: ['run'],
  options: ['injected'],
  about: 'the pattern a run teaches (or, with --injected, the one it was given)',
  async run({ client, args, values }) {
    const id = await resolveRunId(client, args.run);
    const pattern = values.injected
      ? await client.patterns.forRun.query({ id })
      : await client.patterns.preview.query({ runIds: [id] });
    print(values, pattern, () => {
      if (!pattern) return console.log('Nothing was injected into this run.');
      console.log(pattern.block);
      console.log(
        dim(
          `${pattern.steps.length} steps, ${pattern.tokenCount} tokens${pattern.truncated ? ', truncated' : ''}`,
        ),
      );
    });
    return 0;
  },
});

export const reviewRun = defineCommand({
  name: 'review',
  args: ['run', 'verdict'],
  options: ['note'],
  about: "your verdict, counted in its pattern's record (--auto-learn learns from verified or approved runs)",
  async run({ client, args, values }) {
    const { verdict } = args;
    if (verdict !== 'approve' && verdict !== 'reject')
      throw new UsageError(`the verdict is approve or reject, not "${verdict}"`);
    const id = await resolveRunId(client, args.run);
    const run = await client.runs.review.mutate({
      id,
      verdict,
      ...(values.note ? { note: values.note } : {}),
    });
    print(values, run, () =>
      console.log(`run #${run.number} ${verdict === 'approve' ? green('approved') : red('rejected')}`),
    );
    return 0;
  },
});

export const cancelRun = defineCommand({
  name: 'cancel',
  args: ['run'],
  options: [],
  about: 'stop a queued or running run',
  async run({ client, args, values }) {
    const run = await client.runs.cancel.mutate({ id: await resolveRunId(client, args.run) });
    print(values, run, () => console.log(`run #${run.number} ${statusText(run.status)}`));
    return 0;
  },
});

import type { RunEvent } from '@retrace/api';
import type { RetraceClient } from '../index';
import { experimentSummary, followExperiment, formatExperiment } from './experiment';
import {
  bold,
  dim,
  formatDuration,
  formatEvent,
  formatLearnReason,
  formatRunLine,
  formatStep,
  formatVerified,
  green,
  red,
  statusText,
} from './render';
import { need, print, resolveProject, resolveRunId, resolveRunIds, type Values } from './resolve';

export const USAGE = `retrace — drive a Retrace server from the terminal

Usage:
  retrace projects                                  list projects
  retrace projects create <name> [--verify <cmd>] [--source <repo>] [--base-prompt <text>]
  retrace runs <project>                            list a project's runs, newest first
  retrace run <project> "<prompt>" [--learn-from <runs> | --auto-learn] [--from <run>] [--profile batch|readonly]
                                                    start a run and stream it live; exits 1 if it fails
  retrace show <run>                                a run with its steps, why it got its pattern, its verdicts
  retrace pattern <run> [--injected]                the pattern a run teaches (or, with --injected, the one it was given)
  retrace patterns <project>                        a project's patterns with their records, best first
  retrace review <run> approve|reject [--note <text>]
                                                    your verdict: counted in its pattern's record; --auto-learn
                                                    only learns from verified or approved runs
  retrace experiment <project> "<prompt>" --attempts <n> (--learn-from <runs> | --auto-learn) [--from <run>]
                                                    n runs without a pattern and n with one, followed live;
                                                    then success rates with 95% intervals, turns, tokens, time
  retrace cancel <run>

<project> is a project id or name. <run> is a run id, or <project>#<number> (e.g. demo#2);
inside a project's command, --learn-from and --from also take a bare run number of that
project, and --learn-from takes several, comma-separated (a pattern distilled from them all).
--auto-learn lets Retrace pick the best-fitting pattern, or none, and says why.

Options: --url (RETRACE_URL, default http://127.0.0.1:8787), --json,
  --token (RETRACE_TOKEN; on the server's machine it is found by itself, in the server's runtime file)`;

/** Streams a run's events until its final status; resolves with the process exit code. */
function follow(client: RetraceClient, runId: string, values: Values): Promise<number> {
  return new Promise((resolve, reject) => {
    const subscription = client.subscriptions.run.subscribe(
      { id: runId },
      {
        onData: ({ data }) => {
          const event: RunEvent = data;
          if (values.json) console.log(JSON.stringify(event));
          else {
            const line = formatEvent(event);
            if (line) console.log(line);
          }
          if (
            event.type === 'status' &&
            !event.phase &&
            event.status !== 'running' &&
            event.status !== 'queued'
          ) {
            subscription.unsubscribe();
            if (!values.json) {
              const run = event.run;
              console.log(
                `${bold(`run #${run.number}`)} ${statusText(run.status)} in ${formatDuration(run.durationMs)}${run.summary ? `: ${run.summary}` : ''}`,
              );
            }
            resolve(event.status === 'succeeded' ? 0 : 1);
          }
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
  });
}

/** --learn-from (one run or several, comma-separated) or --auto-learn, as a run's inputs. */
async function learning(
  client: RetraceClient,
  values: Values,
  projectId: string,
): Promise<{ learnFromRunIds?: string[]; autoLearn?: true; fromRunId?: string | null }> {
  const learnFrom = values['learn-from'] as string | undefined;
  if (learnFrom && values['auto-learn'])
    throw new Error(
      'pass --learn-from or --auto-learn, not both: one names the runs, the other lets Retrace choose',
    );
  const from = values.from as string | undefined;
  return {
    ...(learnFrom ? { learnFromRunIds: await resolveRunIds(client, learnFrom, projectId) } : {}),
    ...(values['auto-learn'] ? { autoLearn: true as const } : {}),
    ...(from ? { fromRunId: await resolveRunId(client, from, projectId) } : {}),
  };
}

export async function runCommand(client: RetraceClient, args: string[], values: Values): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'projects': {
      if (rest[0] === 'create') {
        const name = rest[1];
        if (!name) throw new Error('usage: retrace projects create <name>');
        const project = await client.projects.create.mutate({
          name,
          verifyCommand: (values.verify as string | undefined) ?? null,
          sourceRepo: (values.source as string | undefined) ?? null,
          ...(values['base-prompt'] ? { basePrompt: values['base-prompt'] as string } : {}),
        });
        print(values, project, () => console.log(`created project ${bold(project.name)} ${dim(project.id)}`));
        return 0;
      }
      const projects = await client.projects.list.query();
      print(values, projects, () => {
        if (projects.length === 0) console.log('No projects yet: retrace projects create <name>');
        for (const p of projects)
          console.log(`${bold(p.name.padEnd(24))} ${String(p.runCount).padStart(4)} runs  ${dim(p.id)}`);
      });
      return 0;
    }
    case 'runs': {
      const project = await resolveProject(client, need(rest[0], 'retrace runs <project>'));
      const page = await client.runs.list.query({ projectId: project.id, limit: 50 });
      print(values, page, () => {
        for (const run of page.items) console.log(formatRunLine(run));
      });
      return 0;
    }
    case 'run': {
      const project = await resolveProject(client, need(rest[0], 'retrace run <project> "<prompt>"'));
      const prompt = need(rest[1], 'retrace run <project> "<prompt>"');
      const run = await client.runs.create.mutate({
        projectId: project.id,
        prompt,
        ...(await learning(client, values, project.id)),
        ...(values.profile ? { profile: values.profile as 'batch' | 'readonly' } : {}),
      });
      if (!values.json) {
        console.log(`${bold(`run #${run.number}`)} ${dim(run.id)} queued in ${project.name}`);
        if (run.pattern) {
          console.log(
            dim(
              `· learning from a pattern of ${run.pattern.steps.length} steps, ${run.pattern.tokenCount} tokens`,
            ),
          );
        }
        const reason = formatLearnReason(run.learnReason);
        if (reason && run.learnReason?.by === 'auto') console.log(dim(`· ${reason}`));
      }
      return follow(client, run.id, values);
    }
    case 'show': {
      const id = await resolveRunId(client, need(rest[0], 'retrace show <run>'));
      const run = await client.runs.get.query({ id });
      const steps = await client.runs.steps.query({ id, limit: 1000 });
      print(values, { run, steps: steps.items }, () => {
        console.log(formatRunLine(run));
        console.log(dim(run.prompt));
        if (run.error) console.log(red(run.error));
        if (run.summary) console.log(green(run.summary));
        const verified = formatVerified(run);
        if (verified) console.log(verified);
        const reason = formatLearnReason(run.learnReason);
        if (reason) console.log(`pattern: ${reason}`);
        if (run.review)
          console.log(
            `review: ${run.review.verdict === 'approve' ? green('approved') : red('rejected')}${run.review.note ? ` — ${run.review.note}` : ''}`,
          );
        for (const step of steps.items) console.log(formatStep(step));
        if (run.workspacePath) console.log(dim(`workspace: ${run.workspacePath}`));
      });
      return 0;
    }
    case 'pattern': {
      const id = await resolveRunId(client, need(rest[0], 'retrace pattern <run>'));
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
    }
    case 'patterns': {
      const project = await resolveProject(client, need(rest[0], 'retrace patterns <project>'));
      const patterns = await client.patterns.list.query({ projectId: project.id });
      print(values, patterns, () => {
        if (patterns.length === 0) console.log('No patterns yet: a run that learns from a run makes one.');
        for (const p of patterns) {
          const from = p.sources.map((s) => `#${s.number}`).join(', ');
          console.log(
            `${bold(`from ${from}`)}  ${p.stepCount} steps, ${p.tokenCount} tokens  ${p.recordText}  ${dim(p.id)}`,
          );
          for (const pitfall of p.pitfalls) console.log(dim(`  pitfall: ${pitfall}`));
        }
      });
      return 0;
    }
    case 'review': {
      const usage = 'retrace review <run> approve|reject [--note <text>]';
      const id = await resolveRunId(client, need(rest[0], usage));
      const verdict = need(rest[1], usage);
      if (verdict !== 'approve' && verdict !== 'reject')
        throw new Error(`the verdict is approve or reject, not "${verdict}"`);
      const run = await client.runs.review.mutate({
        id,
        verdict,
        ...(values.note ? { note: values.note as string } : {}),
      });
      print(values, run, () =>
        console.log(`run #${run.number} ${verdict === 'approve' ? green('approved') : red('rejected')}`),
      );
      return 0;
    }
    case 'experiment': {
      const usage =
        'retrace experiment <project> "<prompt>" --attempts <n> (--learn-from <runs> | --auto-learn)';
      const project = await resolveProject(client, need(rest[0], usage));
      const prompt = need(rest[1], usage);
      const attempts = Number(need(values.attempts as string | undefined, usage));
      if (!Number.isInteger(attempts) || attempts < 1)
        throw new Error(`--attempts is a whole number of runs per arm, not "${values.attempts}"`);
      const taught = await learning(client, values, project.id);
      if (!taught.learnFromRunIds && !taught.autoLearn)
        throw new Error(
          `an experiment compares runs without a pattern with runs given one: pass --learn-from or --auto-learn\nusage: ${usage}`,
        );
      const started = await client.experiments.create.mutate({
        projectId: project.id,
        prompt,
        attempts,
        fromRunId: taught.fromRunId ?? null,
        arms: [
          { name: 'without' },
          taught.autoLearn
            ? { name: 'auto-learn', autoLearn: true }
            : { name: 'with', learnFromRunIds: taught.learnFromRunIds },
        ],
      });
      if (!values.json)
        console.log(
          `${bold('experiment')} ${dim(started.id)}: ${attempts} attempts per arm of "${prompt}" in ${project.name}`,
        );
      const ended = await followExperiment(client, started, Boolean(values.json));
      print(values, ended, () => {
        for (const line of formatExperiment(ended)) console.log(line);
        console.log(experimentSummary(ended));
      });
      return ended.done ? 0 : 1;
    }
    case 'cancel': {
      const id = await resolveRunId(client, need(rest[0], 'retrace cancel <run>'));
      const run = await client.runs.cancel.mutate({ id });
      print(values, run, () => console.log(`run #${run.number} ${statusText(run.status)}`));
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

import type { RunEvent } from '@retrace/api';
import type { RetraceClient } from '../index';
import {
  bold,
  dim,
  formatDuration,
  formatEvent,
  formatRunLine,
  formatStep,
  green,
  red,
  statusText,
} from './render';

export const USAGE = `retrace — drive a Retrace server from the terminal

Usage:
  retrace projects                                  list projects
  retrace projects create <name> [--verify <cmd>] [--source <repo>] [--base-prompt <text>]
  retrace runs <project>                            list a project's runs, newest first
  retrace run <project> "<prompt>" [--learn-from <run>] [--from <run>] [--profile batch|readonly]
                                                    start a run and stream it live; exits 1 if it fails
  retrace show <run>                                a run with its steps
  retrace pattern <run> [--injected]                the pattern a run teaches (or, with --injected, the one it was given)
  retrace cancel <run>

<project> is a project id or name. <run> is a run id, or <project>#<number> (e.g. demo#2);
inside "retrace run", --learn-from and --from also take a bare run number of that project.

Options: --url (RETRACE_URL, default http://127.0.0.1:8787), --json,
  --token (RETRACE_TOKEN; on the server's machine it is found by itself, in the server's runtime file)`;

type Values = Record<string, string | boolean | undefined>;

async function resolveProject(client: RetraceClient, ref: string) {
  const projects = await client.projects.list.query();
  const found = projects.find((p) => p.id === ref) ?? projects.find((p) => p.name === ref);
  if (!found)
    throw new Error(`no project "${ref}" (projects: ${projects.map((p) => p.name).join(', ') || 'none'})`);
  return found;
}

async function resolveRunId(client: RetraceClient, ref: string, projectId?: string): Promise<string> {
  const numbered = /^(?:(.+)#)?#?(\d+)$/.exec(ref);
  if (!numbered) return ref;
  const [, projectRef, number] = numbered;
  const project = projectRef ? (await resolveProject(client, projectRef)).id : projectId;
  if (!project) throw new Error(`"${ref}": name the project, as <project>#<number>`);
  for (let cursor: number | null = null; ; ) {
    const page = await client.runs.list.query({ projectId: project, limit: 100, cursor });
    const run = page.items.find((r) => r.number === Number(number));
    if (run) return run.id;
    if (page.nextCursor === null) throw new Error(`no run #${number} in project ${projectRef ?? project}`);
    cursor = page.nextCursor;
  }
}

function print(values: Values, data: unknown, human: () => void): void {
  if (values.json) console.log(JSON.stringify(data, null, 2));
  else human();
}

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
      const learnFrom = values['learn-from'] as string | undefined;
      const from = values.from as string | undefined;
      const run = await client.runs.create.mutate({
        projectId: project.id,
        prompt,
        learnFromRunId: learnFrom ? await resolveRunId(client, learnFrom, project.id) : null,
        fromRunId: from ? await resolveRunId(client, from, project.id) : null,
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

function need(value: string | undefined, usage: string): string {
  if (!value) throw new Error(`usage: ${usage}`);
  return value;
}

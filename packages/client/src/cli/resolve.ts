import type { Project, RetraceClient, RouterInputs } from '../index';
import { UsageError } from './command';
import type { Values } from './options';

type Learning = Pick<RouterInputs['runs']['create'], 'learnFromRunIds' | 'autoLearn' | 'fromRunId'>;

export async function resolveProject(client: RetraceClient, ref: string) {
  const projects = await client.projects.list.query();
  const found = projects.find((p) => p.id === ref) ?? projects.find((p) => p.name === ref);
  if (!found)
    throw new Error(`no project "${ref}" (projects: ${projects.map((p) => p.name).join(', ') || 'none'})`);
  return found;
}

/** A project as a run ref names it, and as messages about it name it. */
export type ProjectRef = Pick<Project, 'id' | 'name'>;

/** A run ref (an id, <project>#<number>, or inside `project` a bare number) as a run id. */
export async function resolveRunId(
  client: RetraceClient,
  ref: string,
  inProject?: ProjectRef,
): Promise<string> {
  const numbered = /^(?:(.+)#)?#?(\d+)$/.exec(ref);
  if (!numbered) return ref;
  const [, projectRef, number] = numbered;
  const project = projectRef ? await resolveProject(client, projectRef) : inProject;
  if (!project) throw new Error(`"${ref}": name the project, as <project>#<number>`);
  for (let cursor: number | null = null; ; ) {
    const page = await client.runs.list.query({ projectId: project.id, limit: 100, cursor });
    const run = page.items.find((r) => r.number === Number(number));
    if (run) return run.id;
    if (page.nextCursor === null) throw new Error(`no run #${number} in project ${project.name}`);
    cursor = page.nextCursor;
  }
}

/** With --json, the API's JSON as one pretty-printed document and nothing else; else the human lines. */
export function print(values: Values, data: unknown, human: () => void): void {
  if (values.json) console.log(JSON.stringify(data, null, 2));
  else human();
}

/** Run refs separated by commas ("1,3" or "demo#1,demo#3"), as run ids. */
export async function resolveRunIds(
  client: RetraceClient,
  refs: string,
  project: ProjectRef,
): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean))
    ids.push(await resolveRunId(client, ref, project));
  return ids;
}

/** Run ids by run number, for lines that name runs as a person does ("#3"). */
export async function runNumbers(client: RetraceClient, ids: string[]): Promise<Map<string, number>> {
  const numbers = new Map<string, number>();
  for (const id of new Set(ids)) numbers.set(id, (await client.runs.get.query({ id })).number);
  return numbers;
}

/** --learn-from (one run or several, comma-separated) or --auto-learn, and --from, as a run's inputs. */
export async function resolveLearning(
  client: RetraceClient,
  values: Values,
  project: ProjectRef,
): Promise<Learning> {
  const learnFrom = values['learn-from'];
  if (learnFrom && values['auto-learn'])
    throw new UsageError(
      'pass --learn-from or --auto-learn, not both: one names the runs, the other lets Retrace choose',
    );
  return {
    ...(learnFrom ? { learnFromRunIds: await resolveRunIds(client, learnFrom, project) } : {}),
    ...(values['auto-learn'] ? { autoLearn: true as const } : {}),
    ...(values.from ? { fromRunId: await resolveRunId(client, values.from, project) } : {}),
  };
}

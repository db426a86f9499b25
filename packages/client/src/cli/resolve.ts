import type { RetraceClient } from '../index';

export type Values = Record<string, string | boolean | undefined>;

export async function resolveProject(client: RetraceClient, ref: string) {
  const projects = await client.projects.list.query();
  const found = projects.find((p) => p.id === ref) ?? projects.find((p) => p.name === ref);
  if (!found)
    throw new Error(`no project "${ref}" (projects: ${projects.map((p) => p.name).join(', ') || 'none'})`);
  return found;
}

export async function resolveRunId(client: RetraceClient, ref: string, projectId?: string): Promise<string> {
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

export function print(values: Values, data: unknown, human: () => void): void {
  if (values.json) console.log(JSON.stringify(data, null, 2));
  else human();
}

/** Run refs separated by commas ("1,3" or "demo#1,demo#3"), as run ids. */
export async function resolveRunIds(
  client: RetraceClient,
  refs: string,
  projectId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean))
    ids.push(await resolveRunId(client, ref, projectId));
  return ids;
}

export function need(value: string | undefined, usage: string): string {
  if (!value) throw new Error(`usage: ${usage}`);
  return value;
}

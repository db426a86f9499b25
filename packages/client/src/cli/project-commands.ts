import { defineCommand } from './command';
import { bold, dim, formatRunLine } from './render';
import { print, resolveProject } from './resolve';

export const listProjects = defineCommand({
  name: 'projects',
  args: [],
  options: [],
  about: 'list projects',
  async run({ client, values }) {
    const projects = await client.projects.list.query();
    print(values, projects, () => {
      if (projects.length === 0) console.log('No projects yet: retrace projects create <name>');
      for (const p of projects)
        console.log(`${bold(p.name.padEnd(24))} ${String(p.runCount).padStart(4)} runs  ${dim(p.id)}`);
    });
    return 0;
  },
});

export const createProject = defineCommand({
  name: 'projects create',
  args: ['name'],
  options: ['verify', 'source', 'base-prompt'],
  about: 'create a project',
  async run({ client, args, values }) {
    const project = await client.projects.create.mutate({
      name: args.name,
      verifyCommand: values.verify ?? null,
      sourceRepo: values.source ?? null,
      ...(values['base-prompt'] ? { basePrompt: values['base-prompt'] } : {}),
    });
    print(values, project, () => console.log(`created project ${bold(project.name)} ${dim(project.id)}`));
    return 0;
  },
});

export const listRuns = defineCommand({
  name: 'runs',
  args: ['project'],
  options: [],
  about: "list a project's runs, newest first",
  async run({ client, args, values }) {
    const project = await resolveProject(client, args.project);
    const page = await client.runs.list.query({ projectId: project.id, limit: 50 });
    print(values, page, () => {
      for (const run of page.items) console.log(formatRunLine(run));
    });
    return 0;
  },
});

export const listPatterns = defineCommand({
  name: 'patterns',
  args: ['project'],
  options: [],
  about: "a project's patterns with their records, best first",
  async run({ client, args, values }) {
    const project = await resolveProject(client, args.project);
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
  },
});

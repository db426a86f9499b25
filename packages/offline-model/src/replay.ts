import { findReferenceWorkflow, type PatternVariable, parseReferenceWorkflow } from '@retrace/patterns';
import { type Action, parsePlan, type Replacement } from './plan';

export type ReplayResult =
  | { ok: true; actions: Action[]; pitfalls: string[] }
  | { ok: false; reason: string };

type WorkflowStep = ReturnType<typeof parseReferenceWorkflow>['steps'][number];

/**
 * `{{name}}` placeholders (from several source runs) take one of the variable's values, one
 * per run: the one a replacement names, so "replacing <second run's value>" works, else the first.
 */
function fillPlaceholders(text: string, variables: Map<string, string>, replacements: Replacement[]): string {
  return text.replace(/\{\{([\w-]+)\}\}/g, (whole, name: string) => {
    const values = variables.get(name)?.split(' | ');
    if (!values) return whole;
    return (
      values.find((v) => replacements.some(({ from }) => from !== '' && v.includes(from))) ??
      values[0] ??
      whole
    );
  });
}

/** A replayable step as a plan action, placeholders filled; a reason when it cannot be replayed. */
function actionOf(step: WorkflowStep, fill: (text: string) => string): Action | string {
  if (step.instruction.endsWith('…'))
    return `step ${step.n} (${step.kind}) was cut to 160 characters and cannot be replayed: ${step.instruction}`;
  if (step.kind === 'command') return { type: 'run', command: fill(step.instruction) };
  const plan = parsePlan(fill(step.instruction));
  const action = plan.kind === 'actions' && plan.actions.length === 1 ? plan.actions[0] : undefined;
  if (!action || action.type === 'run' || action.type === 'fail')
    return `step ${step.n} (file_change "${step.instruction}") is not a change the offline model can replay`;
  return action;
}

/** The texts a replacement may rewrite: paths, contents and commands, never a plan line's keywords. */
function textsOf(action: Action): string[] {
  switch (action.type) {
    case 'run':
      return [action.command];
    case 'create':
      return [action.path, action.content];
    case 'edit':
      return [action.path, action.old, action.new];
    case 'delete':
      return [action.path];
    case 'fail':
      return [];
  }
}

function replaceIn(action: Action, replacements: Replacement[]): Action {
  const swap = (text: string) =>
    replacements.reduce((out, { from, to }) => (from === '' ? out : out.split(from).join(to)), text);
  switch (action.type) {
    case 'run':
      return { ...action, command: swap(action.command) };
    case 'create':
      return { ...action, path: swap(action.path), content: swap(action.content) };
    case 'edit':
      return { ...action, path: swap(action.path), old: swap(action.old), new: swap(action.new) };
    case 'delete':
      return { ...action, path: swap(action.path) };
    case 'fail':
      return action;
  }
}

function notHeld(absent: Replacement[], variables: PatternVariable[]): string {
  const values = [...new Set(variables.flatMap((v) => v.value.split(' | ')))];
  const names = absent.map(({ from }) => JSON.stringify(from)).join(', ');
  return `the reference workflow holds no ${names} to replace (its values: ${values.length > 0 ? values.join(', ') : 'none'})`;
}

/**
 * The actions that repeat an injected `<reference_workflow>`: its command and file_change
 * steps in order, with the replacements applied, and the pitfalls it warns of. Messages and
 * tool calls are context, not actions. A step that is not a replayable plan line fails the
 * whole replay, by name, and so does a replacement of a value those steps do not hold.
 */
export function replayActions(instructions: string, replacements: Replacement[]): ReplayResult {
  const block = findReferenceWorkflow(instructions);
  if (!block) {
    return {
      ok: false,
      reason:
        'no reference workflow was injected into this run, so there is nothing to repeat (start the run with "learn from" a successful run)',
    };
  }
  let workflow: ReturnType<typeof parseReferenceWorkflow>;
  try {
    workflow = parseReferenceWorkflow(block);
  } catch (error) {
    return {
      ok: false,
      reason: `the injected reference workflow cannot be read: ${(error as Error).message}`,
    };
  }
  const variables = new Map(workflow.variables.map((v) => [v.name, v.value]));
  const recorded: Action[] = [];
  for (const step of workflow.steps) {
    if (step.kind !== 'command' && step.kind !== 'file_change') continue;
    const action = actionOf(step, (text) => fillPlaceholders(text, variables, replacements));
    if (typeof action === 'string') return { ok: false, reason: action };
    recorded.push(action);
  }
  if (recorded.length === 0)
    return { ok: false, reason: 'the reference workflow has no command or file change to repeat' };
  // Replacing a value the steps do not hold would replay them unchanged and call that a
  // success. Only the replayed steps count: a replayed run's task names the value it replaced.
  const held = recorded.flatMap(textsOf);
  const absent = replacements.filter(({ from }) => from !== '' && !held.some((text) => text.includes(from)));
  if (absent.length > 0) return { ok: false, reason: notHeld(absent, workflow.variables) };
  return {
    ok: true,
    actions: recorded.map((action) => replaceIn(action, replacements)),
    pitfalls: workflow.pitfalls,
  };
}

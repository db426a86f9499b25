import { findReferenceWorkflow, parseReferenceWorkflow } from '@retrace/patterns';
import { type Action, parsePlan, type Replacement } from './plan';

export type ReplayResult = { ok: true; actions: Action[] } | { ok: false; reason: string };

function substitute(text: string, replacements: Replacement[], variables: Map<string, string>): string {
  // {{name}} placeholders (from several source runs) take the variable's first value.
  let out = text.replace(
    /\{\{([\w-]+)\}\}/g,
    (whole, name: string) => variables.get(name)?.split(' | ')[0] ?? whole,
  );
  for (const { from, to } of replacements) if (from !== '') out = out.split(from).join(to);
  return out;
}

/**
 * The actions that repeat an injected `<reference_workflow>`: its command and file_change
 * steps in order, with the replacements applied. Messages and tool calls are context, not
 * actions. A step that is not a replayable plan line fails the whole replay, by name.
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
  // A replacement of a value the workflow does not hold would replay it unchanged and call
  // that a success: refused, saying what it does hold. Its task is not looked at: a replayed
  // run's prompt names the value it replaced, which its steps no longer hold.
  const held = [
    ...workflow.steps.map((step) => step.instruction),
    ...workflow.variables.map((v) => v.value),
  ].join('\n');
  const absent = replacements.filter(({ from }) => from !== '' && !held.includes(from));
  if (absent.length > 0) {
    const values = [...new Set(workflow.variables.map((v) => v.value))];
    return {
      ok: false,
      reason: `the reference workflow holds no ${absent.map(({ from }) => `"${from}"`).join(', ')} to replace (its values: ${values.length > 0 ? values.join(', ') : 'none'})`,
    };
  }
  const actions: Action[] = [];
  for (const step of workflow.steps) {
    if (step.kind !== 'command' && step.kind !== 'file_change') continue;
    const swap = (text: string) => substitute(text, replacements, variables);
    if (step.instruction.endsWith('…')) {
      return {
        ok: false,
        reason: `step ${step.n} (${step.kind}) was cut to 160 characters and cannot be replayed: ${step.instruction}`,
      };
    }
    if (step.kind === 'command') {
      actions.push({ type: 'run', command: swap(step.instruction) });
      continue;
    }
    // Read the plan line first, then swap values in its path and text, never in its keywords.
    const plan = parsePlan(
      step.instruction.replace(
        /\{\{([\w-]+)\}\}/g,
        (whole, name: string) => variables.get(name)?.split(' | ')[0] ?? whole,
      ),
    );
    const action = plan.kind === 'actions' && plan.actions.length === 1 ? plan.actions[0] : undefined;
    if (!action || action.type === 'run' || action.type === 'fail') {
      return {
        ok: false,
        reason: `step ${step.n} (file_change "${step.instruction}") is not a change the offline model can replay`,
      };
    }
    if (action.type === 'create')
      actions.push({ ...action, path: swap(action.path), content: swap(action.content) });
    else if (action.type === 'edit')
      actions.push({ ...action, path: swap(action.path), old: swap(action.old), new: swap(action.new) });
    else actions.push({ ...action, path: swap(action.path) });
  }
  if (actions.length === 0)
    return { ok: false, reason: 'the reference workflow has no command or file change to repeat' };
  return { ok: true, actions };
}

import { stepStatus } from '@retrace/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRunner, runInput, runToEnd } from './test/harness';

let harness: Awaited<ReturnType<typeof createTestRunner>>;
beforeAll(async () => {
  harness = await createTestRunner();
});
afterAll(() => harness.close());

describe('what a run reports while it runs', () => {
  it('a cancel mid-command ends the steps with that command, canceled', async () => {
    const input = runInput('run: echo first\nrun: sleep 30.125');
    harness.runner.start(input);
    const events = [];
    for await (const { event } of harness.runner.follow(input.runId, 0)) {
      events.push(event);
      if (event.type === 'activity') harness.runner.cancel(input.runId);
    }
    const steps = events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    expect(events.at(-1)).toMatchObject({ type: 'result', result: { outcome: 'canceled' } });
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.filter((s) => s.kind === 'command').map((s) => [s.instruction, stepStatus(s)])).toEqual([
      ['echo first', 'ok'],
      ['sleep 30.125', 'canceled'],
    ]);
    const last = steps.at(-1);
    expect(last).toMatchObject({
      kind: 'command',
      instruction: 'sleep 30.125',
      outcomeOk: false,
      payload: { type: 'command_execution', status: 'canceled' },
    });
    expect(last?.finishedAt).toBeGreaterThanOrEqual(last?.startedAt ?? Number.POSITIVE_INFINITY);
  });

  it('reports the tokens spent so far after each model turn, the last report being the total', async () => {
    const { events, result } = await runToEnd(harness.runner, runInput('run: echo counted'));
    const reports = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
    // Two agent turns (the tool call, the answer) and one Codex turn.
    expect(reports).toHaveLength(3);
    const totals = reports.map((u) => u.inputTokens + u.outputTokens);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(totals[0]).toBeGreaterThan(0);
    expect(reports.at(-1)).toEqual(result.usage);
    // The first report comes before the run's first command is a step: it is live, not a summary.
    const firstUsage = events.findIndex((e) => e.type === 'usage');
    const firstCommand = events.findIndex((e) => e.type === 'step' && e.step.kind === 'command');
    expect(firstUsage).toBeLessThan(firstCommand);
  });

  it('a canceled run’s result counts the turns and tokens it took before the cancel', async () => {
    const input = runInput('run: sleep 30.375');
    harness.runner.start(input);
    let result = null;
    for await (const { event } of harness.runner.follow(input.runId, 0)) {
      if (event.type === 'activity') harness.runner.cancel(input.runId);
      if (event.type === 'result') result = event.result;
    }
    expect(result).toMatchObject({ outcome: 'canceled', turns: 1 });
    expect(result?.usage.inputTokens).toBeGreaterThan(0);
  });
});

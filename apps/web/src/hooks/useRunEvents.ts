import type { RunEvent } from '@retrace/api';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../lib/trpc';

export type TranscriptStep = Extract<RunEvent, { type: 'step' }>['step'];
export type RunActivity = Extract<RunEvent, { type: 'activity' }>['activity'];
export type RunUsage = Extract<RunEvent, { type: 'usage' }>['usage'];

/**
 * A run's live event stream: steps for the transcript (sorted by seq, each once), the tokens
 * spent so far, and the queries that events make stale (the run, its diff, its artifacts)
 * refreshed. The stream resumes after the last event it saw when the connection comes back.
 * It starts after `lastEventId` (what the page already read); disabled, it opens no stream.
 */
export function useRunEvents(runId: string, enabled = true, lastEventId: string | null = null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const steps = useRef<TranscriptStep[]>([]);
  const seen = useRef(new Set<number>());
  const [version, setVersion] = useState(0);
  const pending = useRef(false);
  // What the run is doing now: the last command started, until a step or the end follows it.
  const [activity, setActivity] = useState<RunActivity | null>(null);
  const shown = useRef<RunActivity | null>(null);
  // The last tokens-so-far heard: the run's own `usage` is read again only on a status change.
  const [usage, setUsage] = useState<RunUsage | null>(null);
  // A state update only on a change: opening a long run delivers thousands of steps at once.
  const showActivity = (next: RunActivity | null) => {
    if (shown.current === next) return;
    shown.current = next;
    setActivity(next);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run starts a new transcript.
  useEffect(() => {
    steps.current = [];
    seen.current = new Set();
    shown.current = null;
    setActivity(null);
    setUsage(null);
    setVersion((v) => v + 1);
  }, [runId]);

  // Many steps can arrive at once: render at most once a frame.
  const schedule = () => {
    if (pending.current) return;
    pending.current = true;
    requestAnimationFrame(() => {
      pending.current = false;
      setVersion((v) => v + 1);
    });
  };

  // The queries an event makes stale, read again.
  const refresh = (...stale: Array<'run' | 'diff' | 'artifacts'>) => {
    const input = { id: runId };
    const invalidate = {
      run: () => queryClient.invalidateQueries(trpc.runs.get.queryFilter(input)),
      diff: () => queryClient.invalidateQueries(trpc.runs.diff.queryFilter(input)),
      artifacts: () => queryClient.invalidateQueries(trpc.runs.artifacts.queryFilter(input)),
    };
    for (const query of stale) void invalidate[query]();
  };

  const subscription = useSubscription(
    trpc.subscriptions.run.subscriptionOptions(
      { id: runId, lastEventId },
      {
        enabled,
        // The run was read before `lastEventId` was: what happened in between (it started, its
        // first tokens) is in no event this stream brings, so it is read again once the stream is open.
        onStarted: () => refresh('run', 'diff', 'artifacts'),
        onData: ({ data }) => {
          const event: RunEvent = data;
          if (event.type === 'activity') showActivity(event.activity);
          else if (event.type === 'step' || (event.type === 'status' && event.phase === null))
            showActivity(null);
          if (event.type === 'step') {
            if (seen.current.has(event.step.seq)) return;
            seen.current.add(event.step.seq);
            const list = steps.current;
            if (list.length === 0 || (list.at(-1)?.seq ?? 0) < event.step.seq) list.push(event.step);
            else {
              list.push(event.step);
              list.sort((a, b) => a.seq - b.seq);
            }
            schedule();
          } else if (event.type === 'status') {
            if (event.phase === null) refresh('run', 'diff', 'artifacts');
            else refresh('run');
          } else if (event.type === 'diff') {
            refresh('diff');
          } else if (event.type === 'usage') {
            setUsage(event.usage);
          } else if (event.type === 'artifact') {
            refresh('artifacts');
          }
        },
      },
    ),
  );
  return {
    steps: steps.current,
    version,
    activity,
    usage,
    status: subscription.status,
    error: subscription.error,
  };
}

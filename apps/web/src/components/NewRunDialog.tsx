import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useDebounced } from '../hooks/useDebounced';
import { formErrors } from '../lib/errors';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';
import { FormActions } from './FormActions';
import { Modal } from './Modal';
import { PatternPreview } from './PatternPreview';

const EXAMPLE_PLAN = [
  'create notes/hello.txt:',
  '```',
  'Hello from Retrace',
  '```',
  'run: cat notes/hello.txt',
].join('\n');
const EXAMPLE_REPEAT =
  'Repeat the reference workflow, replacing notes/hello.txt with notes/again.txt, "Hello from Retrace" with "Hello again"';

export interface NewRunDefaults {
  prompt?: string;
  learnFromRunId?: string;
  fromRunId?: string;
}

export function NewRunDialog({
  open,
  onOpenChange,
  projectId,
  defaults,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectId: string;
  defaults?: NewRunDefaults;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [prompt, setPrompt] = useState(defaults?.prompt ?? '');
  const [learnFrom, setLearnFrom] = useState(defaults?.learnFromRunId ?? '');
  const [fromRun, setFromRun] = useState(defaults?.fromRunId ?? '');
  // Once the person picks "Learn from" themselves, suggestions stop changing it.
  const [learnTouched, setLearnTouched] = useState(Boolean(defaults?.learnFromRunId));

  useEffect(() => {
    if (!open) return;
    setPrompt(defaults?.prompt ?? '');
    setLearnFrom(defaults?.learnFromRunId ?? '');
    setFromRun(defaults?.fromRunId ?? '');
    setLearnTouched(Boolean(defaults?.learnFromRunId));
  }, [open, defaults?.prompt, defaults?.learnFromRunId, defaults?.fromRunId]);

  const info = useQuery(trpc.system.info.queryOptions());
  const successful = useQuery(
    trpc.runs.list.queryOptions(
      { projectId, status: 'succeeded', limit: 100 },
      { enabled: open, staleTime: 0 },
    ),
  );
  const allRuns = useQuery(
    trpc.runs.list.queryOptions({ projectId, limit: 100 }, { enabled: open, staleTime: 0 }),
  );
  const debouncedPrompt = useDebounced(prompt.trim(), 300);
  const suggestions = useQuery(
    trpc.patterns.suggest.queryOptions(
      open && debouncedPrompt ? { projectId, prompt: debouncedPrompt, limit: 5 } : skipToken,
    ),
  );
  const best = suggestions.data?.[0];
  const suggested = best && best.score > 0 ? best.run.id : null;
  useEffect(() => {
    if (!learnTouched && suggested) setLearnFrom(suggested);
  }, [suggested, learnTouched]);

  const create = useMutation(
    trpc.runs.create.mutationOptions({
      onSuccess: async (run) => {
        await queryClient.invalidateQueries(trpc.runs.list.pathFilter());
        onOpenChange(false);
        navigate(`/runs/${run.id}`);
      },
    }),
  );
  const { issues, other } = formErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ projectId, prompt, learnFromRunId: learnFrom || null, fromRunId: fromRun || null });
  };

  return (
    <Modal open={open} onOpenChange={onOpenChange} title="New run" wide>
      <div className="new-run">
        <form onSubmit={submit} className="form">
          <Field label="Prompt" error={issues.prompt}>
            {(control) => (
              <textarea
                {...control}
                value={prompt}
                onChange={(e) => setPrompt(e.target.value)}
                rows={8}
                className="mono"
                placeholder="What should the agent do?"
              />
            )}
          </Field>
          {info.data?.modelMode === 'offline' && (
            <div className="examples">
              <span className="muted small">Offline model: it follows written plans. Try</span>
              <button type="button" className="link" onClick={() => setPrompt(EXAMPLE_PLAN)}>
                a plan to run
              </button>
              <span className="muted small">then, learning from that run,</span>
              <button type="button" className="link" onClick={() => setPrompt(EXAMPLE_REPEAT)}>
                repeat it with new values
              </button>
            </div>
          )}
          <Field
            label="Learn from"
            error={issues.learnFromRunId}
            hint="A successful run whose workflow pattern is injected into this run."
          >
            {(control) => (
              <select
                {...control}
                value={learnFrom}
                onChange={(e) => {
                  setLearnFrom(e.target.value);
                  setLearnTouched(true);
                }}
              >
                <option value="">none</option>
                {successful.data?.items.map((run) => (
                  <option key={run.id} value={run.id}>
                    #{run.number} {oneLine(run.prompt, 60)}
                    {suggested === run.id ? ' (suggested)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Continue workspace from"
            error={issues.fromRunId}
            hint="Start from a copy of that run’s workspace, .git included."
          >
            {(control) => (
              <select {...control} value={fromRun} onChange={(e) => setFromRun(e.target.value)}>
                <option value="">none (a fresh workspace)</option>
                {allRuns.data?.items.map((run) => (
                  <option key={run.id} value={run.id}>
                    #{run.number} {run.status} · {oneLine(run.prompt, 50)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FormActions
            error={other}
            pending={create.isPending}
            submitLabel="Start run"
            pendingLabel="Starting…"
            onCancel={() => onOpenChange(false)}
          />
        </form>
        <PatternPreview runId={learnFrom || null} />
      </div>
    </Modal>
  );
}

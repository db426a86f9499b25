import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useDebounced } from '../hooks/useDebounced';
import { formErrors } from '../lib/errors';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';
import { FormActions } from './FormActions';
import { FromRunField } from './FromRunField';
import { Modal } from './Modal';
import { PatternPreview } from './PatternPreview';
import { SuggestionNote } from './SuggestionNote';

const EXAMPLE_PLAN = [
  'create notes/hello.txt:',
  '```',
  'Hello from Retrace',
  '```',
  'run: cat notes/hello.txt',
].join('\n');
const EXAMPLE_REPEAT =
  'Repeat the reference workflow, replacing notes/hello.txt with notes/again.txt, "Hello from Retrace" with "Hello again"';

// "Let Retrace choose": run ids start with run_, so no run has this value.
const AUTO = 'auto';

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
  const debouncedPrompt = useDebounced(prompt.trim(), 300);
  const suggestions = useQuery(
    trpc.patterns.suggest.queryOptions(
      open && debouncedPrompt ? { projectId, prompt: debouncedPrompt, limit: 5 } : skipToken,
      // The last prompt's note stays while the next one's loads, instead of blinking out.
      { placeholderData: keepPreviousData },
    ),
  );
  // The API offers only patterns at or above its threshold, best first.
  const best = (debouncedPrompt && suggestions.data?.[0]) || null;
  // Until the person picks, "Learn from" is the best suggestion for the prompt as it is now, or
  // none: a prompt that no longer fits takes back what an earlier one pre-selected. Unchanged
  // while the suggestions for a new prompt load.
  const settled =
    debouncedPrompt === ''
      ? ''
      : suggestions.data && !suggestions.isPlaceholderData
        ? (best?.run.id ?? '')
        : undefined;
  useEffect(() => {
    if (!learnTouched && settled !== undefined) setLearnFrom(settled);
  }, [settled, learnTouched]);
  const auto = learnFrom === AUTO;
  const explained = suggestions.data?.find((s) => s.run.id === learnFrom) ?? best;

  const create = useMutation(
    trpc.runs.create.mutationOptions({
      onSuccess: async (run) => {
        await queryClient.invalidateQueries(trpc.runs.list.pathFilter());
        onOpenChange(false);
        navigate(`/runs/${run.id}`);
      },
    }),
  );
  const { issues, other } = formErrors(create.error, ['prompt', 'fromRunId', 'learnFromRunId']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      projectId,
      prompt,
      ...(auto ? { autoLearn: true } : { learnFromRunId: learnFrom || null }),
      fromRunId: fromRun || null,
    });
  };

  return (
    <Modal open={open} onOpenChange={onOpenChange} title="New run" wide>
      <div className="new-run">
        <form onSubmit={submit} className="form">
          <Field label="Prompt" error={issues.prompt} hint="Ctrl+Enter (⌘+Enter on a Mac) starts the run.">
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
            hint="A successful run whose workflow pattern is injected into this run, or Retrace’s choice when it is created."
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
                <option value={AUTO}>Let Retrace choose</option>
                {successful.data?.items.map((run) => (
                  <option key={run.id} value={run.id}>
                    #{run.number} {oneLine(run.prompt, 60)}
                    {best?.run.id === run.id ? ' (suggested)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {debouncedPrompt && suggestions.data && <SuggestionNote suggestion={explained} auto={auto} />}
          <FromRunField
            projectId={projectId}
            open={open}
            value={fromRun}
            onChange={setFromRun}
            error={issues.fromRunId}
            hint="Start from a copy of that run’s workspace, .git included."
          />
          <FormActions
            error={other}
            pending={create.isPending}
            submitLabel="Start run"
            pendingLabel="Starting…"
            onCancel={() => onOpenChange(false)}
          />
        </form>
        <PatternPreview
          runId={auto ? (best?.run.id ?? null) : learnFrom || null}
          emptyText={
            auto
              ? 'Retrace chooses when the run is created; for this prompt it finds no pattern now.'
              : 'Choose a run in “Learn from” to see the workflow this run will be given.'
          }
        />
      </div>
    </Modal>
  );
}

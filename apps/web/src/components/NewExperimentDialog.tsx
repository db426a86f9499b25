import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { formErrors } from '../lib/errors';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';
import { FormActions } from './FormActions';
import { FromRunField } from './FromRunField';
import { Modal } from './Modal';

const MAX_ATTEMPTS = 10;

/** Which arms to run: the first one checked is the baseline the others are compared with. */
interface ArmChoice {
  without: boolean;
  withRun: boolean;
  auto: boolean;
}

/** Start an experiment: one prompt, N attempts per arm (without a pattern, with a run's, Retrace's choice). */
export function NewExperimentDialog({
  open,
  onOpenChange,
  projectId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [prompt, setPrompt] = useState('');
  const [attempts, setAttempts] = useState('3');
  const [arms, setArms] = useState<ArmChoice>({ without: true, withRun: true, auto: false });
  const [learnFrom, setLearnFrom] = useState('');
  const [fromRun, setFromRun] = useState('');

  useEffect(() => {
    if (!open) return;
    setPrompt('');
    setAttempts('3');
    setArms({ without: true, withRun: true, auto: false });
    setLearnFrom('');
    setFromRun('');
  }, [open]);

  const successful = useQuery(
    trpc.runs.list.queryOptions(
      { projectId, status: 'succeeded', limit: 100 },
      { enabled: open, staleTime: 0 },
    ),
  );
  // The newest successful run, until the person picks another.
  const newest = successful.data?.items[0]?.id;
  useEffect(() => {
    if (newest) setLearnFrom((picked) => picked || newest);
  }, [newest]);
  const learnRun = successful.data?.items.find((run) => run.id === learnFrom);
  const canLearn = (successful.data?.items.length ?? 0) > 0;

  const create = useMutation(
    trpc.experiments.create.mutationOptions({
      onSuccess: async (experiment) => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.experiments.list.pathFilter()),
          queryClient.invalidateQueries(trpc.runs.list.pathFilter()),
        ]);
        onOpenChange(false);
        navigate(`/experiments/${experiment.id}`);
      },
    }),
  );
  const { issues, other } = formErrors(create.error, ['prompt', 'attempts', 'fromRunId']);
  const armIssues = Object.entries(issues).filter(([field]) => field.startsWith('arms'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      projectId,
      prompt,
      attempts: Number(attempts),
      fromRunId: fromRun || null,
      arms: [
        ...(arms.without ? [{ name: 'without' }] : []),
        ...(arms.withRun && learnRun
          ? [{ name: `with #${learnRun.number}`, learnFromRunIds: [learnRun.id] }]
          : []),
        ...(arms.auto ? [{ name: 'Retrace’s choice', autoLearn: true }] : []),
      ],
    });
  };
  const check = (key: keyof ArmChoice) => (event: { target: { checked: boolean } }) =>
    setArms({ ...arms, [key]: event.target.checked });

  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="New experiment"
      description="The same prompt, run several times in each arm from the same workspace, to measure what a pattern is worth."
    >
      <form onSubmit={submit} className="form">
        <Field label="Prompt" error={issues.prompt}>
          {(control) => (
            <textarea
              {...control}
              value={prompt}
              onChange={(e) => setPrompt(e.target.value)}
              rows={4}
              className="mono"
              placeholder="The task every attempt is given"
            />
          )}
        </Field>
        <Field
          label="Attempts per arm"
          error={issues.attempts}
          hint={`1 to ${MAX_ATTEMPTS}; every attempt is queued like any run.`}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={MAX_ATTEMPTS}
              value={attempts}
              onChange={(e) => setAttempts(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="arms-choice">
          <legend className="field-label">Arms</legend>
          <label className="check">
            <input type="checkbox" checked={arms.without} onChange={check('without')} />
            Without a pattern (the baseline)
          </label>
          <div className="check">
            <input
              type="checkbox"
              id="arm-with-run"
              checked={arms.withRun && canLearn}
              onChange={check('withRun')}
              disabled={!canLearn}
            />
            <label htmlFor="arm-with-run">With the pattern of</label>
            <select
              aria-label="Run to learn from"
              value={learnFrom}
              onChange={(e) => setLearnFrom(e.target.value)}
              disabled={!arms.withRun || !canLearn}
            >
              {!canLearn && <option value="">no successful run yet</option>}
              {successful.data?.items.map((run) => (
                <option key={run.id} value={run.id}>
                  #{run.number} {oneLine(run.prompt, 50)}
                </option>
              ))}
            </select>
          </div>
          <label className="check">
            <input type="checkbox" checked={arms.auto} onChange={check('auto')} />
            Retrace’s choice: the pattern that fits best, or none
          </label>
          {armIssues.map(([field, message]) => (
            <span key={field} className="field-error" role="alert">
              {message}
            </span>
          ))}
        </fieldset>
        <FromRunField
          projectId={projectId}
          open={open}
          value={fromRun}
          onChange={setFromRun}
          error={issues.fromRunId}
          hint="Every attempt starts from a copy of that run’s workspace; none: a fresh one."
        />
        <FormActions
          error={other}
          pending={create.isPending}
          submitLabel="Start experiment"
          pendingLabel="Starting…"
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Modal>
  );
}

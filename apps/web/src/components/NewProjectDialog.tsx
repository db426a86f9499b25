import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { formErrors } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';
import { FormActions } from './FormActions';
import { Modal } from './Modal';

export function NewProjectDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', basePrompt: '', sourceRepo: '', verifyCommand: '' });
  const [fullAccess, setFullAccess] = useState(false);
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async (project) => {
        await queryClient.invalidateQueries(trpc.projects.pathFilter());
        onOpenChange(false);
        setForm({ name: '', basePrompt: '', sourceRepo: '', verifyCommand: '' });
        setFullAccess(false);
        navigate(`/projects/${project.id}`);
      },
    }),
  );
  const { issues, other } = formErrors(create.error);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      name: form.name,
      basePrompt: form.basePrompt || undefined,
      sourceRepo: form.sourceRepo || null,
      verifyCommand: form.verifyCommand || null,
      fullAccess,
    });
  };
  return (
    <Modal open={open} onOpenChange={onOpenChange} title="New project">
      <form onSubmit={submit} className="form">
        <Field label="Name" error={issues.name}>
          {(control) => (
            <input {...control} value={form.name} onChange={set('name')} placeholder="my-service" />
          )}
        </Field>
        <Field
          label="Base prompt"
          error={issues.basePrompt}
          hint="Leave empty for “You are a precise code agent.”"
        >
          {(control) => (
            <textarea {...control} value={form.basePrompt} onChange={set('basePrompt')} rows={2} />
          )}
        </Field>
        <Field
          label="Source repository"
          error={issues.sourceRepo}
          hint="A git URL or an absolute path on the server; cloned into each new workspace."
        >
          {(control) => (
            <input
              {...control}
              value={form.sourceRepo}
              onChange={set('sourceRepo')}
              placeholder="/path/to/repo or https://…"
            />
          )}
        </Field>
        <Field
          label="Verify command"
          error={issues.verifyCommand}
          hint="Runs in the workspace after the agent; the run succeeds only if it passes."
        >
          {(control) => (
            <input
              {...control}
              value={form.verifyCommand}
              onChange={set('verifyCommand')}
              placeholder="npm test"
              className="mono"
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={fullAccess} onChange={(e) => setFullAccess(e.target.checked)} />
          Full access: run without the sandbox (commands may change any file and reach the network)
        </label>
        <FormActions
          error={other}
          pending={create.isPending}
          submitLabel="Create project"
          pendingLabel="Creating…"
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Modal>
  );
}

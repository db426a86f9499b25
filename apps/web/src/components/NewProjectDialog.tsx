import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { formErrors } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import { FormActions } from './FormActions';
import { Modal } from './Modal';
import { EMPTY_PROJECT_FORM, PROJECT_FIELDS, ProjectFields } from './ProjectFields';

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
  const [form, setForm] = useState(EMPTY_PROJECT_FORM);
  const [fullAccess, setFullAccess] = useState(false);
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async (project) => {
        await queryClient.invalidateQueries(trpc.projects.pathFilter());
        onOpenChange(false);
        setForm(EMPTY_PROJECT_FORM);
        setFullAccess(false);
        navigate(`/projects/${project.id}`);
      },
    }),
  );
  const { issues, other } = formErrors(create.error, PROJECT_FIELDS);
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
        <ProjectFields form={form} onChange={setForm} issues={issues} />
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

import type { Project } from '@retrace/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { formErrors } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import { FormActions } from './FormActions';
import { Modal } from './Modal';
import { PROJECT_FIELDS, ProjectFields, type ProjectForm } from './ProjectFields';

type EditedProject = Pick<Project, 'id' | 'name' | 'basePrompt' | 'sourceRepo' | 'verifyCommand'>;

function formOf(project: EditedProject): ProjectForm {
  return {
    name: project.name,
    basePrompt: project.basePrompt,
    sourceRepo: project.sourceRepo ?? '',
    verifyCommand: project.verifyCommand ?? '',
  };
}

/** A project's name, base prompt, source repository and verify command, changed; later runs use them. */
export function EditProjectDialog({
  project,
  open,
  onOpenChange,
  onSaved,
}: {
  project: EditedProject;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved?: (project: Project) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(project));
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: async (saved) => {
        onOpenChange(false);
        // Before the lists are read again: the page may be at the old name's address.
        onSaved?.(saved);
        await queryClient.invalidateQueries(trpc.projects.pathFilter());
      },
    }),
  );
  const { reset } = update;
  // Each opening starts from the project as it is now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only an opening resets the form.
  useEffect(() => {
    if (!open) return;
    setForm(formOf(project));
    reset();
  }, [open]);
  const { issues, other } = formErrors(update.error, PROJECT_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      id: project.id,
      name: form.name,
      // Emptied, the base prompt is the default again.
      basePrompt: form.basePrompt,
      sourceRepo: form.sourceRepo || null,
      verifyCommand: form.verifyCommand || null,
    });
  };
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Edit project"
      description="Runs started from now on use these; runs already made keep what they were given."
    >
      <form onSubmit={submit} className="form">
        <ProjectFields form={form} onChange={setForm} issues={issues} />
        <FormActions
          error={other}
          pending={update.isPending}
          submitLabel="Save"
          pendingLabel="Saving…"
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Modal>
  );
}

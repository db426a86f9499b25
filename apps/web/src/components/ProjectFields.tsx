import { Field } from './Field';

export interface ProjectForm {
  name: string;
  basePrompt: string;
  sourceRepo: string;
  verifyCommand: string;
}

export const EMPTY_PROJECT_FORM: ProjectForm = {
  name: '',
  basePrompt: '',
  sourceRepo: '',
  verifyCommand: '',
};

/** The fields this shows an error at: the form's own. */
export const PROJECT_FIELDS = Object.keys(EMPTY_PROJECT_FORM) as ReadonlyArray<keyof ProjectForm>;

/** A project's editable fields, each with the API's message for it: creating and editing share them. */
export function ProjectFields({
  form,
  onChange,
  issues,
}: {
  form: ProjectForm;
  onChange: (form: ProjectForm) => void;
  issues: Record<string, string>;
}) {
  const set = (key: keyof ProjectForm) => (event: { target: { value: string } }) =>
    onChange({ ...form, [key]: event.target.value });
  return (
    <>
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
        {(control) => <textarea {...control} value={form.basePrompt} onChange={set('basePrompt')} rows={2} />}
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
    </>
  );
}

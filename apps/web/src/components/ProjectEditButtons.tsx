import type { Project } from '@retrace/api';
import { useState } from 'react';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { EditProjectDialog } from './EditProjectDialog';

/** Edit and Delete for a project, each opening its dialog. */
export function ProjectEditButtons({
  project,
  onSaved,
}: {
  project: Project;
  onSaved: (project: Project) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setEditing(true)}>
        Edit project
      </button>
      <button type="button" className="danger" onClick={() => setDeleting(true)}>
        Delete project
      </button>
      <EditProjectDialog project={project} open={editing} onOpenChange={setEditing} onSaved={onSaved} />
      <DeleteProjectDialog project={project} open={deleting} onOpenChange={setDeleting} />
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorBox } from '../components/ErrorBox';
import { NewProjectDialog } from '../components/NewProjectDialog';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc';

export function ProjectsPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.projects.list.queryOptions());
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div className="page-head">
        <h1>Projects</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New project
        </button>
      </div>
      <ErrorBox error={projects.error} what="Could not load projects" />
      {projects.isPending && <p className="muted">Loading projects…</p>}
      {projects.data?.length === 0 && (
        <div className="empty">
          <p>
            No projects yet. A project holds a base prompt, an optional repository to clone and a verify
            command; its runs learn from each other.
          </p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create your first project
          </button>
        </div>
      )}
      {projects.data && projects.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Runs</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.map((project) => (
              <tr key={project.id}>
                <td>
                  <Link to={`/projects/${project.id}`}>{project.name}</Link>
                  {project.sourceRepo && <div className="muted small">{project.sourceRepo}</div>}
                </td>
                <td className="num">{project.runCount}</td>
                <td>{formatTime(project.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewProjectDialog open={creating} onOpenChange={setCreating} />
    </section>
  );
}

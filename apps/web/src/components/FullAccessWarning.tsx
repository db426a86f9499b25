/** Shown wherever runs go without Codex's sandbox: an explicit choice of the project's. */
export function FullAccessWarning({ what }: { what: 'project' | 'run' }) {
  return (
    <div className="warning-box" role="note">
      <strong>Full access.</strong>{' '}
      {what === 'project'
        ? 'Runs of this project are not sandboxed: their commands can change any file this server can and reach the network.'
        : 'This run was not sandboxed: its commands could change any file this server can and reach the network.'}
    </div>
  );
}

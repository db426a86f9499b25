const LABEL: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{LABEL[status] ?? status}</span>;
}

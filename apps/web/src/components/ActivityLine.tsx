import { useEffect, useState } from 'react';
import type { RunActivity } from '../hooks/useRunEvents';
import { formatDuration } from '../lib/format';

/** The command running now, with how long it has run: a long test suite is not silence. */
export function ActivityLine({ activity }: { activity: RunActivity | null }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!activity) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [activity]);
  if (!activity) return null;
  return (
    <p className="activity" role="status" aria-label="Running now">
      <span className="spinner" aria-hidden="true" />
      Running <code>$ {activity.text}</code>
      <span className="muted small"> · {formatDuration(Math.max(0, now - activity.startedAt))}</span>
    </p>
  );
}

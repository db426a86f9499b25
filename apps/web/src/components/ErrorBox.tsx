import { Link } from 'react-router';
import { errorMessage, isUnauthorized } from '../lib/errors';

export interface WayBack {
  to: string;
  label: string;
}

/** An error shown where it happened, never swallowed; on a page that failed, a way back. */
export function ErrorBox({ error, what, back }: { error: unknown; what?: string; back?: WayBack }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      {what && <strong>{what}: </strong>}
      {isUnauthorized(error)
        ? 'This server needs a token: open its URL once with ?token=<RETRACE_TOKEN>.'
        : errorMessage(error)}
      {back && (
        <p className="way-back">
          <Link to={back.to}>{back.label}</Link>
        </p>
      )}
    </div>
  );
}

/** Where a page that could not load sends the reader: the projects list. */
export const TO_PROJECTS: WayBack = { to: '/', label: 'Back to the projects' };

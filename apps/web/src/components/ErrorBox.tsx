import { errorMessage, isUnauthorized } from '../lib/errors';

/** An error shown where it happened, never swallowed. */
export function ErrorBox({ error, what }: { error: unknown; what?: string }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      {what && <strong>{what}: </strong>}
      {isUnauthorized(error)
        ? 'This server needs a token: open its URL once with ?token=<RETRACE_TOKEN>.'
        : errorMessage(error)}
    </div>
  );
}

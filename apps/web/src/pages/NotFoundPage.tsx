import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page here.</p>
      <p className="way-back">
        <Link to="/">Back to the projects</Link>
      </p>
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet } from 'react-router';
import { useTRPC } from '../lib/trpc';

/** The frame of every page: where you are, and whether the model is real or the offline simulator. */
export function Layout() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 5_000, retry: false }));
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand">
          Retrace
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Projects
          </NavLink>
          <NavLink to="/guide">Guide</NavLink>
        </nav>
        <span className="spacer" />
        {info.data?.modelMode === 'offline' && (
          <span
            className="mode offline"
            title="No OPENAI_API_KEY: runs use Retrace's deterministic offline model, which follows written plans"
          >
            Offline model · a simulator, not an LLM
          </span>
        )}
        {info.data?.modelMode === 'openai' && <span className="mode">OpenAI models</span>}
        {info.isError && (
          <span className="mode down" role="status">
            Server unreachable — retrying
          </span>
        )}
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './components/Layout';
import { createClient, createQueryClient, TRPCProvider } from './lib/trpc';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectsPage } from './pages/ProjectsPage';
import './styles.css';

// Pages past the first are loaded when first visited: the run page's diff viewer and
// transcript are most of the code, and a first visit to the project list needs none of it.
const runPage = async () => ({ Component: (await import('./pages/RunPage')).RunPage });

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ProjectsPage /> },
      {
        path: '/projects/:id',
        lazy: async () => ({ Component: (await import('./pages/ProjectPage')).ProjectPage }),
      },
      { path: '/runs/:id', lazy: runPage },
      // The seed's address for a run; the same page.
      { path: '/ui/runs/:id', lazy: runPage },
      {
        path: '/patterns/:id',
        lazy: async () => ({ Component: (await import('./pages/PatternPage')).PatternPage }),
      },
      {
        path: '/experiments/:id',
        lazy: async () => ({ Component: (await import('./pages/ExperimentPage')).ExperimentPage }),
      },
      { path: '/guide', lazy: async () => ({ Component: (await import('./pages/GuidePage')).GuidePage }) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

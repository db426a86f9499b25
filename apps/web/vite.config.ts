import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @retrace/web` next to `npm start`: the API is proxied, so the app is same-origin.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/trpc': 'http://127.0.0.1:8787',
      '/api': 'http://127.0.0.1:8787',
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 800 },
});

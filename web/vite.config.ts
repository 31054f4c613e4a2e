import { defineConfig } from 'vite';

// No React plugin: esbuild compiles JSX with the automatic runtime. `npm run dev` proxies the API
// to a running `gazelle serve` (GAZELLE_API, default http://127.0.0.1:8080).
const api = process.env.GAZELLE_API || 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': api, '/healthz': api } },
  preview: { proxy: { '/api': api, '/healthz': api } },
});

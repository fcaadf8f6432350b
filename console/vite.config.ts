import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the API server itself at /console/ (src/http/console.ts) from dist/console.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // One long-lived chunk for React and the router; antd and ECharts split with the routes that use them.
        manualChunks: (id) => (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id) ? 'react' : undefined),
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});

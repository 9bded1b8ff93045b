import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// `npm run dev` proxies the API to a running `halsonav serve` (HALSONAV_API, default :8080).
const api = process.env.HALSONAV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
  },
  server: {
    proxy: { '/api': api, '/healthz': api },
  },
  preview: {
    proxy: { '/api': api, '/healthz': api },
  },
});

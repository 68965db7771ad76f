import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API's address for the dev and preview proxies; the browser only ever
// talks to this server, so no CORS is needed.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
const port = Number(process.env.WEB_PORT ?? 5173);
// The REST face, its docs page and DRF's token path too, as behind the production proxy.
const proxy = { '/trpc': api, '/health': api, '/api': api, '/api-token-auth': api };

export default defineConfig({
  plugins: [react()],
  server: { port, strictPort: true, proxy },
  preview: { port, strictPort: true, proxy },
});

// `pnpm start` runs the build; without one, it says so in one sentence
// (the web app's build is checked by the API itself: WEB_DIST_DIR).
import { existsSync } from 'node:fs';

if (!existsSync(new URL('dist/index.js', import.meta.url))) {
  console.error('Nothing to start: run `pnpm build` first (apps/api/dist/index.js is missing).');
  process.exit(1);
}

import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Which Chromium to drive: $CHROMIUM_PATH if set; else Playwright's own build
 * when `pnpm exec playwright install chromium` has fetched it (laptops); else
 * the system's Chromium (Debian's `chromium` package, as in CI). Undefined
 * lets Playwright explain how to install one.
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  if (existsSync(chromium.executablePath())) return undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
}

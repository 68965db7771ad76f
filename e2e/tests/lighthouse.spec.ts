import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import { chromiumExecutable } from '../chromium.ts';
import { expect, TOKEN_KEY, test } from '../fixtures.ts';

/** The scores of the last run, linked from the README (written as is: biome.json leaves it alone). */
const REPORT = new URL('../../docs/lighthouse.md', import.meta.url);
const CATEGORIES = ['accessibility', 'best-practices', 'performance', 'seo'] as const;
type Scores = Record<(typeof CATEGORIES)[number], number> & {
  /** Cumulative layout shift while loading: 0 when nothing moves. */
  cls: number;
  /** The JavaScript the page loaded, as sent (gzipped), in KB. */
  scriptKb: number;
};

// Lighthouse, driving the same Chromium over its debugging port, on the
// production build behind deploy/nginx.conf (this spec runs in the
// 'through nginx' project): HTTPS, HTTP/2 and the real headers count.
test('Lighthouse: accessibility 100, best practices at least 95, layout shift under 0.01', async ({
  account,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const port = 9222 + test.info().workerIndex + 1;
  const profile = mkdtempSync(join(tmpdir(), 'tokenauth-lighthouse-'));
  // A persistent context is the browser's default one, whose tabs Lighthouse opens.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    args: [`--remote-debugging-port=${port}`, '--ignore-certificate-errors'],
    ignoreHTTPSErrors: true,
  });
  const scores: Record<string, Scores> = {};
  let version = '';
  try {
    const audit = async (path: string) => {
      const result = await lighthouse(`${baseURL}${path}`, {
        port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
        formFactor: 'desktop',
        screenEmulation: { disabled: true },
        // The token stored below stays for the pages behind login.
        disableStorageReset: true,
      });
      const categories = result?.lhr.categories;
      if (!categories) throw new Error(`Lighthouse gave no result for ${path}`);
      version = result.lhr.lighthouseVersion;
      const { audits } = result.lhr;
      const resources = audits['resource-summary']?.details as
        | { items: Array<{ resourceType: string; transferSize: number }> }
        | undefined;
      const script = resources?.items.find((item) => item.resourceType === 'script');
      scores[path] = {
        ...(Object.fromEntries(
          CATEGORIES.map((name) => [name, Math.round((categories[name]?.score ?? 0) * 100)]),
        ) as Record<(typeof CATEGORIES)[number], number>),
        cls: audits['cumulative-layout-shift']?.numericValue ?? Number.NaN,
        scriptKb: (script?.transferSize ?? Number.NaN) / 1024,
      };
    };
    await audit('/login');
    await audit('/signup');
    const page = await browser.newPage();
    await page.goto(`${baseURL}/login`);
    await page.evaluate(([key, token]) => localStorage.setItem(key, token), [
      TOKEN_KEY,
      account.token,
    ] as const);
    await audit('/dashboard');
    await audit('/settings');
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }

  writeFileSync(
    REPORT,
    [
      '# Lighthouse',
      '',
      `Written by \`e2e/tests/lighthouse.spec.ts\` (part of \`pnpm test\`) on ${new Date().toISOString().slice(0, 10)}: Lighthouse ${version} in desktop mode, on the production build (\`pnpm start\`) behind \`deploy/nginx.conf\`. Targets: accessibility 100, best practices at least 95, layout shift under 0.01; performance, SEO and the JavaScript each page loaded (as sent, headers included) are shown, not judged (performance is simulated on a shared machine).`,
      '',
      `| page | ${CATEGORIES.join(' | ')} | layout shift | JavaScript (KB, gzipped) |`,
      `| --- | ${CATEGORIES.map(() => '---:').join(' | ')} | ---: | ---: |`,
      ...Object.entries(scores).map(
        ([path, s]) =>
          `| \`${path}\` | ${CATEGORIES.map((name) => s[name]).join(' | ')} | ${s.cls.toFixed(3)} | ${s.scriptKb.toFixed(1)} |`,
      ),
      '',
    ].join('\n'),
  );
  for (const [path, s] of Object.entries(scores)) {
    expect.soft(s.accessibility, `${path}: accessibility`).toBe(100);
    expect.soft(s['best-practices'], `${path}: best practices`).toBeGreaterThanOrEqual(95);
    // Under 0.01: nothing a person sees move (Google calls under 0.1 good). Signup's few
    // ten-thousandths are its password hint, which states the server's minimum once it is known.
    expect.soft(s.cls, `${path}: layout shift`).toBeLessThan(0.01);
  }
});

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
/** A desktop, and Lighthouse's default phone (a Moto G Power's screen, a slow 4G network and CPU). */
const FORM_FACTORS = ['desktop', 'mobile'] as const;
/** The JavaScript a page may load, gzipped, as the issue that set it measured it (KB). */
const SCRIPT_BUDGET_KB = 103;
type Scores = Record<(typeof CATEGORIES)[number], number> & {
  /** Cumulative layout shift while loading: 0 when nothing moves. */
  cls: number;
  /** The JavaScript the page loaded, as sent (gzipped), in KB. */
  scriptKb: number;
  /** What moved, as Lighthouse names it, for the message when something did. */
  shifted: string[];
};

// Lighthouse, driving the same Chromium over its debugging port, on the
// production build behind deploy/nginx.conf (this spec runs in the
// 'through nginx' project): HTTPS, HTTP/2 and the real headers count.
test('Lighthouse on a desktop and a phone: accessibility 100, best practices at least 95, no layout shift, JavaScript under budget', async ({
  account,
  baseURL,
}) => {
  test.setTimeout(480_000);
  const port = 9222 + test.info().workerIndex + 1;
  const profile = mkdtempSync(join(tmpdir(), 'tokenauth-lighthouse-'));
  // A persistent context is the browser's default one, whose tabs Lighthouse opens.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    args: [`--remote-debugging-port=${port}`, '--ignore-certificate-errors'],
    ignoreHTTPSErrors: true,
  });
  const scores: Array<Scores & { page: string }> = [];
  let version = '';
  try {
    const audit = async (path: string) => {
      for (const formFactor of FORM_FACTORS) await auditAs(path, formFactor);
    };
    const auditAs = async (path: string, formFactor: (typeof FORM_FACTORS)[number]) => {
      const result = await lighthouse(`${baseURL}${path}`, {
        port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
        // The phone is Lighthouse's default emulation; the desktop is the browser's own window.
        ...(formFactor === 'desktop'
          ? { formFactor, screenEmulation: { disabled: true } }
          : { formFactor }),
        // The token stored below stays for the pages behind login.
        disableStorageReset: true,
      });
      const categories = result?.lhr.categories;
      if (!categories) throw new Error(`Lighthouse gave no result for ${path} (${formFactor})`);
      version = result.lhr.lighthouseVersion;
      const { audits } = result.lhr;
      const resources = audits['resource-summary']?.details as
        | { items: Array<{ resourceType: string; transferSize: number }> }
        | undefined;
      const script = resources?.items.find((item) => item.resourceType === 'script');
      scores.push({
        page: `\`${path}\`, ${formFactor === 'mobile' ? 'phone' : formFactor}`,
        ...(Object.fromEntries(
          CATEGORIES.map((name) => [name, Math.round((categories[name]?.score ?? 0) * 100)]),
        ) as Record<(typeof CATEGORIES)[number], number>),
        cls: audits['cumulative-layout-shift']?.numericValue ?? Number.NaN,
        scriptKb: (script?.transferSize ?? Number.NaN) / 1024,
        shifted: shiftedElements(audits['layout-shifts']?.details),
      });
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
      `Written by \`e2e/tests/lighthouse.spec.ts\` (part of \`pnpm test\`) on ${new Date().toISOString().slice(0, 10)}: Lighthouse ${version} on a desktop and on its default phone (a Moto G Power's screen, slow 4G and a slow CPU, simulated), on the production build (\`pnpm start\`) behind \`deploy/nginx.conf\`. Targets: accessibility 100, best practices at least 95, layout shift under 0.001 (none a person could see), and at most ${SCRIPT_BUDGET_KB} KB of JavaScript per page (as sent, gzipped, headers included); performance and SEO are shown, not judged (performance is simulated on a shared machine).`,
      '',
      `| page | ${CATEGORIES.join(' | ')} | layout shift | JavaScript (KB, gzipped) |`,
      `| --- | ${CATEGORIES.map(() => '---:').join(' | ')} | ---: | ---: |`,
      ...scores.map(
        (s) =>
          `| ${s.page} | ${CATEGORIES.map((name) => s[name]).join(' | ')} | ${s.cls.toFixed(4)} | ${s.scriptKb.toFixed(1)} |`,
      ),
      '',
    ].join('\n'),
  );
  for (const s of scores) {
    expect.soft(s.accessibility, `${s.page}: accessibility`).toBe(100);
    expect.soft(s['best-practices'], `${s.page}: best practices`).toBeGreaterThanOrEqual(95);
    // Under a thousandth: nothing a person could see move (Google calls under 0.1 good).
    expect.soft(s.cls, `${s.page}: layout shift of ${s.shifted.join('; ')}`).toBeLessThan(0.001);
    expect.soft(s.scriptKb, `${s.page}: JavaScript (KB)`).toBeLessThan(SCRIPT_BUDGET_KB);
  }
});

/** The elements Lighthouse's layout-shifts audit saw move, with their share of the shift. */
function shiftedElements(details: unknown): string[] {
  const items =
    (details as { items?: Array<{ node?: { snippet?: string }; score?: number }> } | undefined)
      ?.items ?? [];
  return items.map(
    (item) => `${item.node?.snippet ?? 'an element'} (${(item.score ?? 0).toFixed(4)})`,
  );
}

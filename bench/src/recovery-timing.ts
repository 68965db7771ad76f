/**
 * How long "forgot password" takes to answer for an address that has an
 * account and for one that has none: the answer must not tell them apart.
 * One request at a time, the two kinds in a shuffled order (the work a
 * request leaves behind then slows the next one, whichever kind it is),
 * each timed from send to the end of the answer.
 */
export async function recoveryAnswerTimes(
  url: string,
  addresses: { known: string; unknown: string },
  requests: number,
): Promise<{ knownMs: number; unknownMs: number; requests: number }> {
  const kinds = Array.from({ length: requests }, (_, i) => (i % 2 === 0 ? 'known' : 'unknown'));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as 'known', kinds[i] as 'known'];
  }
  const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
  for (const kind of kinds as ('known' | 'unknown')[]) {
    const start = performance.now();
    const res = await fetch(`${url}/trpc/recovery.requestPasswordReset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: addresses[kind] }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`requestPasswordReset answered ${res.status}`);
    times[kind].push(performance.now() - start);
  }
  return { knownMs: median(times.known), unknownMs: median(times.unknown), requests };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

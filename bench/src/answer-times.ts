/**
 * Median answer times of two kinds of request that must not be told apart
 * by timing ("forgot password" for an address with an account or without;
 * a wrong password for a bcrypt or a Django hash). One request at a time,
 * the two kinds in a shuffled order (the work a request leaves behind then
 * slows the next one, whichever kind it is), each timed from send to the
 * end of the answer, which must have `status`.
 */
export async function answerTimes<Kind extends string>(
  send: Record<Kind, () => Promise<Response>>,
  status: number,
  requests: number,
): Promise<Record<Kind, number>> {
  const names = Object.keys(send) as Kind[];
  const order = Array.from({ length: requests }, (_, i) => names[i % names.length] as Kind);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j] as Kind, order[i] as Kind];
  }
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    Kind,
    number[]
  >;
  for (const kind of order) {
    const start = performance.now();
    const res = await send[kind]();
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${kind}: answered ${res.status}, not ${status}`);
    times[kind].push(performance.now() - start);
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<
    Kind,
    number
  >;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

import autocannon from 'autocannon';

export type Load = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts and unexpected statuses. */
  failures: number;
};

export type LoadOptions = {
  url: string;
  /** Run for this long; requests still in flight at the end are not counted. */
  seconds: number;
  /**
   * Or send exactly this many requests and wait for all of them, as the
   * bcrypt ceiling counts: for slow requests, where the in-flight ones
   * dropped at a deadline would be several percent of the total.
   */
  requests?: number;
  connections: number;
  /** Each request, built afresh (unique usernames, rotating tokens…). */
  request: () => {
    method: 'GET' | 'POST';
    path: string;
    headers: Record<string, string>;
    body?: string;
  };
};

/** A load that runs for a time, which turns can share (a count of requests cannot). */
type TimedLoad = Omit<LoadOptions, 'requests'>;

/** One run of autocannon, before it is summed up: latencies in milliseconds. */
type Run = { latencies: number[]; milliseconds: number; failures: number };

/** The value below which `fraction` of the sorted `values` fall. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/**
 * Drives `url` with autocannon over loopback. The rate is the responses
 * counted over the time to the last one (autocannon reports the end of a
 * fixed number of requests at its next one-second tick, and averages a timed
 * run over whole seconds). Latencies come from every response's own timing:
 * autocannon's histogram keeps whole milliseconds, too coarse to compare a
 * p99 of 3 ms with one of 6.
 */
async function run(options: LoadOptions): Promise<Run> {
  const started = performance.now();
  let lastResponse = started;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.requests ? { amount: options.requests } : { duration: options.seconds }),
        requests: [{ setupRequest: (req) => ({ ...req, ...options.request() }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => {
      latencies.push(responseTime);
      lastResponse = performance.now();
    });
  });
  return {
    latencies,
    milliseconds: lastResponse - started,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

function summarize(runs: Run[]): Load {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const milliseconds = runs.reduce((sum, r) => sum + r.milliseconds, 0);
  return {
    requestsPerSecond: milliseconds > 0 ? latencies.length / (milliseconds / 1000) : 0,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: latencies.length,
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

export async function load(options: LoadOptions): Promise<Load> {
  return summarize([await run(options)]);
}

/**
 * Loads compared with each other, taken in turns (a b c, c b a, …) of
 * `seconds / turns` each rather than one after the other: a machine that
 * slows down or speeds up mid-run (other tenants, PostgreSQL's background
 * work) then weighs on both sides alike, and their ratio holds.
 */
export async function alternate(loads: TimedLoad[], turns: number): Promise<Load[]> {
  const runs: Run[][] = loads.map(() => []);
  for (let turn = 0; turn < turns; turn++) {
    const order = loads.map((_, i) => i);
    if (turn % 2 === 1) order.reverse();
    for (const side of order) {
      const options = loads[side] as TimedLoad;
      runs[side]?.push(await run({ ...options, seconds: options.seconds / turns }));
    }
  }
  return runs.map(summarize);
}

/**
 * `options` run again and again, `options.seconds` at a time, until `until`
 * settles (once at least), summed up as one load: the requests served while
 * something else ran (the purge, in bench --scale).
 */
export async function loadWhile(options: TimedLoad, until: Promise<unknown>): Promise<Load> {
  let settled = false;
  const settle = () => {
    settled = true;
  };
  until.then(settle, settle);
  const runs: Run[] = [];
  do runs.push(await run(options));
  while (!settled);
  return summarize(runs);
}

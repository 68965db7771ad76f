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

/** The value below which `fraction` of the sorted `values` fall. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/**
 * Drives `url` with autocannon over loopback. Latencies are in milliseconds,
 * from every response's own timing: autocannon's histogram keeps whole
 * milliseconds, too coarse to compare a p99 of 3 ms with one of 6.
 */
export async function load(options: LoadOptions): Promise<Load> {
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
      // autocannon reports the end of a fixed number of requests at its next
      // one-second tick; such a rate is timed to the last response instead.
      lastResponse = performance.now();
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: options.requests
      ? result.requests.total / ((lastResponse - started) / 1000)
      : result.requests.average,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

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

/** Drives `url` with autocannon over loopback; latencies in milliseconds. */
export async function load(options: LoadOptions): Promise<Load> {
  const started = performance.now();
  let lastResponse = started;
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
    // autocannon reports the end of a fixed number of requests at its next
    // one-second tick; the rate is timed to the last response instead.
    if (options.requests) {
      instance.on('response', () => {
        lastResponse = performance.now();
      });
    }
  });
  return {
    requestsPerSecond: options.requests
      ? result.requests.total / ((lastResponse - started) / 1000)
      : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

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
  seconds: number;
  connections: number;
  /** Each request, built afresh (unique usernames, rotating tokens…). */
  request: () => {
    method: 'GET' | 'POST';
    path: string;
    headers: Record<string, string>;
    body?: string;
  };
};

/** Drives `url` with autocannon over loopback for `seconds`; latencies in milliseconds. */
export async function load(options: LoadOptions): Promise<Load> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...options.request() }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

import type { Server } from 'node:http';
import type { Db } from '@tokenauth/db';
import pino, { type Logger } from 'pino';
import type { Config, HttpConfig } from '../config.ts';
import { createServer } from '../server.ts';
import { createServices, type Services } from '../services.ts';
import { config as defaultConfig, servicesFor } from './databases.ts';

/**
 * The API's HTTP server on `handle`: the test config and services (no rate
 * limits, silent logs) unless the test gives its own.
 */
export function testServer(
  handle: Db,
  options: {
    config?: Config;
    http?: Partial<HttpConfig>;
    services?: Partial<Services>;
    logger?: Logger;
  } = {},
): Server {
  const base = options.config ?? defaultConfig;
  const config = { ...base, http: { ...base.http, ...options.http } };
  const services = options.services
    ? createServices(handle, config, { ...servicesFor(handle), ...options.services })
    : servicesFor(handle);
  return createServer(config, {
    handle,
    services,
    logger: options.logger ?? pino({ level: 'silent' }),
  });
}

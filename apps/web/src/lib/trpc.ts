import type { AppRouter } from '@tokenauth/api/router';
import { httpLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { authorizationHeader } from '../auth/authorization.ts';

export const trpc = createTRPCReact<AppRouter>();

type Answer<Query extends { getData: (...args: never[]) => unknown }> = NonNullable<
  ReturnType<Query['getData']>
>;
type Utils = ReturnType<typeof trpc.useUtils>;
/** The account as auth.me answers it (login and signup answer it too). */
export type User = Answer<Utils['auth']['me']>;
/** One of the user's sessions, as tokens.list lists them. */
export type Session = Answer<Utils['tokens']['list']>[number];

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      httpLink({
        url: '/trpc',
        // Read at every request, so a login or logout applies at once (and a JWT is renewed in time).
        async headers() {
          const authorization = await authorizationHeader();
          return authorization ? { authorization } : {};
        },
      }),
    ],
  });
}

import { jwtRoutes } from './jwt-routes.ts';
import type { Route } from './operation.ts';
import { recoveryRoutes } from './recovery-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import { userRoutes } from './user-routes.ts';

/** Every endpoint of the REST face (shared/contracts/djoser-rest.md). */
export const restRoutes = (passwordMinLength: number): Route[] => [
  ...userRoutes(passwordMinLength),
  ...recoveryRoutes(passwordMinLength),
  ...tokenRoutes,
  ...jwtRoutes,
];

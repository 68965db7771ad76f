import { createInputs } from '../auth/inputs.ts';
import { passwordPolicy } from '../auth/password-policy.ts';
import { router } from '../trpc.ts';
import { accountRouter } from './account.ts';
import { authRouter } from './auth.ts';
import { jwtRouter } from './jwt.ts';
import { recoveryRouter } from './recovery.ts';
import { tokensRouter } from './tokens.ts';

/**
 * Every procedure. The password's minimum length is configured, and input
 * schemas check it, so the router is built from it, once per server.
 */
export function createAppRouter(options: {
  passwordMinLength: number;
  /** Activation mode (REQUIRE_EMAIL_VERIFICATION): signup forms must ask for an email. */
  emailRequired?: boolean;
}) {
  const inputs = createInputs(options.passwordMinLength);
  return router({
    auth: authRouter(inputs, {
      ...passwordPolicy(options.passwordMinLength),
      emailRequired: options.emailRequired ?? false,
    }),
    tokens: tokensRouter(inputs),
    jwt: jwtRouter(inputs),
    account: accountRouter(inputs, options.passwordMinLength),
    recovery: recoveryRouter(inputs, options.passwordMinLength),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

import { router } from '../trpc.ts';
import { accountRouter } from './account.ts';
import { authRouter } from './auth.ts';
import { sessionsRouter } from './sessions.ts';

export const appRouter = router({
  auth: authRouter,
  sessions: sessionsRouter,
  account: accountRouter,
});

export type AppRouter = typeof appRouter;

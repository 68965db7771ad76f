import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Redirect, Route, Switch } from 'wouter';
import { RedirectIfAuthenticated } from './auth/RedirectIfAuthenticated.tsx';
import { RequireAuth } from './auth/RequireAuth.tsx';
import { subscribeToSession } from './auth/session.ts';
import { PageLoading } from './components/PageLoading.tsx';
import { createQueryClient } from './lib/query-client.ts';
import { createTrpcClient, trpc } from './lib/trpc.ts';
import { AppLayout } from './routes/AppLayout.tsx';
import { DashboardPage } from './routes/DashboardPage.tsx';
import { LoginPage } from './routes/LoginPage.tsx';
import { NotFoundPage } from './routes/NotFoundPage.tsx';
import { SignupPage } from './routes/SignupPage.tsx';
import './styles.css';

const queryClient = createQueryClient();
const trpcClient = createTrpcClient();
// Whoever logs in or out, no data of the previous session stays cached.
subscribeToSession(() => queryClient.clear());

// Settings is visited rarely: its code loads when it is opened.
const SettingsPage = lazy(() =>
  import('./routes/SettingsPage.tsx').then((module) => ({ default: module.SettingsPage })),
);

// The pages of emailed links and "forgot …" requests, visited rarely: loaded when opened.
const ForgotPasswordPage = lazy(() =>
  import('./routes/recovery/ForgotPasswordPage.tsx').then((m) => ({
    default: m.ForgotPasswordPage,
  })),
);
const ForgotUsernamePage = lazy(() =>
  import('./routes/recovery/ForgotUsernamePage.tsx').then((m) => ({
    default: m.ForgotUsernamePage,
  })),
);
const ResetPasswordPage = lazy(() =>
  import('./routes/recovery/ResetPasswordPage.tsx').then((m) => ({ default: m.ResetPasswordPage })),
);
const ResetUsernamePage = lazy(() =>
  import('./routes/recovery/ResetUsernamePage.tsx').then((m) => ({ default: m.ResetUsernamePage })),
);
const VerifyEmailPage = lazy(() =>
  import('./routes/recovery/VerifyEmailPage.tsx').then((m) => ({ default: m.VerifyEmailPage })),
);

// Development builds only: production builds leave this page (and its import) out.
const DevOutboxPage = import.meta.env.DEV
  ? lazy(() =>
      import('./routes/DevOutboxPage.tsx').then((module) => ({ default: module.DevOutboxPage })),
    )
  : null;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <AppLayout>
          <Switch>
            <Route path="/">
              <Redirect to="/dashboard" replace />
            </Route>
            <Route path="/login">
              <RedirectIfAuthenticated>
                <LoginPage />
              </RedirectIfAuthenticated>
            </Route>
            <Route path="/signup">
              <RedirectIfAuthenticated>
                <SignupPage />
              </RedirectIfAuthenticated>
            </Route>
            <Route path="/dashboard">
              <RequireAuth>
                <DashboardPage />
              </RequireAuth>
            </Route>
            <Route path="/settings">
              <RequireAuth>
                <Suspense fallback={<PageLoading />}>
                  <SettingsPage />
                </Suspense>
              </RequireAuth>
            </Route>
            {/* The pages emailed links open, and the requests for them: logged in or not. */}
            {(
              [
                ['/forgot-password', ForgotPasswordPage],
                ['/forgot-username', ForgotUsernamePage],
                ['/reset-password/:uid/:token', ResetPasswordPage],
                ['/reset-username/:uid/:token', ResetUsernamePage],
                ['/verify-email/:uid/:token', VerifyEmailPage],
                ...(DevOutboxPage ? ([['/dev/outbox', DevOutboxPage]] as const) : []),
              ] as const
            ).map(([path, Page]) => (
              <Route key={path} path={path}>
                <Suspense fallback={<PageLoading />}>
                  <Page />
                </Suspense>
              </Route>
            ))}
            <Route>
              <NotFoundPage />
            </Route>
          </Switch>
        </AppLayout>
      </QueryClientProvider>
    </trpc.Provider>
  </StrictMode>,
);

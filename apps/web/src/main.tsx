import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
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
import { ForgotPasswordPage } from './routes/recovery/ForgotPasswordPage.tsx';
import { ForgotUsernamePage } from './routes/recovery/ForgotUsernamePage.tsx';
import { ResetPasswordPage } from './routes/recovery/ResetPasswordPage.tsx';
import { ResetUsernamePage } from './routes/recovery/ResetUsernamePage.tsx';
import { VerifyEmailPage } from './routes/recovery/VerifyEmailPage.tsx';
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

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<Navigate to="/dashboard" replace />} />
              <Route element={<RedirectIfAuthenticated />}>
                <Route path="login" element={<LoginPage />} />
                <Route path="signup" element={<SignupPage />} />
              </Route>
              <Route element={<RequireAuth />}>
                <Route path="dashboard" element={<DashboardPage />} />
                <Route
                  path="settings"
                  element={
                    <Suspense fallback={<PageLoading />}>
                      <SettingsPage />
                    </Suspense>
                  }
                />
              </Route>
              {/* The pages emailed links open, and the requests for them: logged in or not. */}
              <Route path="forgot-password" element={<ForgotPasswordPage />} />
              <Route path="forgot-username" element={<ForgotUsernamePage />} />
              <Route path="reset-password/:uid/:token" element={<ResetPasswordPage />} />
              <Route path="reset-username/:uid/:token" element={<ResetUsernamePage />} />
              <Route path="verify-email/:uid/:token" element={<VerifyEmailPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </trpc.Provider>
  </StrictMode>,
);

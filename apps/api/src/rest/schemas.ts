import { z } from 'zod';
import { currentPassword, email, present, requiredEmail, text, username } from '../auth/inputs.ts';
import type { PublicUser } from '../auth/user.ts';

/**
 * The REST face's bodies, in Djoser's field names, made of the same field
 * schemas as the tRPC inputs. They check each field on its own; the
 * password policy runs after them, as Django's validators run after the
 * serializer's fields (see the handlers). Key order is the order of
 * Djoser's error bodies.
 */
export const bodies = {
  /** Djoser's field order: REQUIRED_FIELDS (email), then the login field, then the password. */
  signup: z.object({ email, username, password: present() }),
  /** djoser's token/login/: both optional, a missing one is just a failed login. */
  tokenLogin: z.object({ username: text().optional(), password: text().optional() }),
  /** DRF's obtain_auth_token, and simplejwt's jwt/create/: both required. */
  obtainToken: z.object({ username: present(), password: present() }),
  /** simplejwt's jwt/refresh/ and jwt/verify/. */
  jwtRefresh: z.object({ refresh: present() }),
  jwtVerify: z.object({ token: present() }),
  /** PUT and PATCH alike: a field left out is left as it is. */
  updateUser: z.object({ email }).partial(),
  deleteUser: z.object({ current_password: currentPassword }),
  setPassword: z.object({ new_password: present(), current_password: currentPassword }),
  setUsername: z.object({ current_password: currentPassword, new_username: username }),
  /** An emailed link's two parts. */
  link: z.object({ uid: present(), token: present() }),
  /** Where to send a link: resend_activation/, reset_password/, reset_username/. */
  emailOnly: z.object({ email: requiredEmail }),
  resetPasswordConfirm: z.object({ uid: present(), token: present(), new_password: present() }),
  resetUsernameConfirm: z.object({ uid: present(), token: present(), new_username: username }),
};

/** What the REST face answers, described for the OpenAPI document. */
export const answers = {
  user: z.object({ email: z.string(), id: z.uuid(), username: z.string() }),
  authToken: z.object({ auth_token: z.string() }),
  token: z.object({ token: z.string() }),
  detail: z.object({ detail: z.string() }),
  jwtPair: z.object({ refresh: z.string(), access: z.string() }),
  jwtRefreshed: z.object({ access: z.string(), refresh: z.string() }),
  empty: z.object({}),
};

/** Djoser's user object, with its default fields: `{"email","id","username"}`. */
export const userObject = (user: PublicUser): z.infer<typeof answers.user> => ({
  email: user.email ?? '',
  id: user.id,
  username: user.username,
});

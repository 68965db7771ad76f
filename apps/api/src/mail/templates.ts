import type { Message } from './outbox.ts';

const PRODUCT = 'tokenauth';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "30 minutes", "1 hour", "3 days": how long a link works. */
const hours = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60 || minutes % 60 !== 0) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const h = minutes / 60;
  return h >= 48 && h % 24 === 0 ? `${h / 24} days` : `${h} hour${h === 1 ? '' : 's'}`;
};

/** One message in both parts: paragraphs, a link to follow, and what to do if it was not asked for. */
function message(
  to: string,
  subject: string,
  lines: string[],
  action: { label: string; url: string; validMs: number },
  unasked: string,
): Message {
  const footer = `This link works for ${hours(action.validMs)}. ${unasked}`;
  const text = [
    ...lines,
    '',
    `${action.label}: ${action.url}`,
    '',
    footer,
    '',
    `— ${PRODUCT}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>
<p style="color: #555">${escapeHtml(footer)}</p>
<p>— ${PRODUCT}</p>
</body></html>`;
  return { to, subject: `${PRODUCT}: ${subject}`, text, html };
}

export const mailTemplates = {
  verifyEmail: (to: string, username: string, url: string, validMs: number) =>
    message(
      to,
      'confirm your email address',
      [`Hello ${username},`, `Please confirm that ${to} is your email address.`],
      { label: 'Confirm this address', url, validMs },
      'If you did not give this address, ignore this message: nothing changes.',
    ),
  passwordReset: (to: string, username: string, url: string, validMs: number) =>
    message(
      to,
      'reset your password',
      [`Hello ${username},`, 'Someone asked to reset the password of your account.'],
      { label: 'Choose a new password', url, validMs },
      'If it was not you, ignore this message: your password stays as it is.',
    ),
  usernameReminder: (to: string, username: string, url: string, validMs: number) =>
    message(
      to,
      'your username',
      [`Your username is: ${username}`, 'You can log in with it, or choose another one.'],
      { label: 'Choose another username', url, validMs },
      'If you did not ask, ignore this message: nothing changes.',
    ),
};

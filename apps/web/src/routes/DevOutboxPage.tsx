import { useQuery } from '@tanstack/react-query';
import { Notice } from '../components/Notice.tsx';

type KeptMail = { id: string; to: string; subject: string; text: string | null; createdAt: string };

/** The paths of the app's own pages in a message: what a developer follows. */
const appLinks = (text: string) =>
  [...text.matchAll(/https?:\/\/[^\s/]+(\/[a-z-]+\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43})/g)].map(
    (match) => match[1] as string,
  );

/**
 * The dev outbox (development builds only: absent from production): the
 * mail the API kept for want of SMTP_URL, as `pnpm -s cli mail list` shows it.
 */
export function DevOutboxPage() {
  const outbox = useQuery({
    queryKey: ['dev-outbox'],
    queryFn: async () => {
      const res = await fetch('/api/dev/outbox');
      if (!res.ok) throw new Error(`the API answered ${res.status}`);
      return (await res.json()) as KeptMail[];
    },
  });
  return (
    <main className="page">
      <title>Dev outbox · Tokenauth</title>
      <div className="page-header">
        <div>
          <h1>Dev outbox</h1>
          <p className="subtitle">
            Mail the API kept instead of sending it (no SMTP_URL). Development only.
          </p>
        </div>
        <button type="button" className="button secondary" onClick={() => void outbox.refetch()}>
          Refresh
        </button>
      </div>
      {outbox.isError ? (
        <Notice kind="error">
          The dev outbox is not available: the API has an SMTP server, or runs in production.
        </Notice>
      ) : null}
      {outbox.data?.length === 0 ? <p className="muted">No mail yet.</p> : null}
      {outbox.data?.map((mail) => (
        <section key={mail.id} className="card wide" aria-label={`${mail.subject} to ${mail.to}`}>
          <h2>{mail.subject}</h2>
          <p className="muted">
            To {mail.to},{' '}
            <time dateTime={mail.createdAt}>{new Date(mail.createdAt).toLocaleString()}</time>
          </p>
          <pre className="mail-text">{mail.text}</pre>
          {appLinks(mail.text ?? '').map((path) => (
            <a key={path} className="button" href={path}>
              Open the link
            </a>
          ))}
        </section>
      ))}
    </main>
  );
}

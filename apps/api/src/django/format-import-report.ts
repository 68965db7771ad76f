import type { ImportReport } from './import-report.ts';

const n = (value: number) => value.toLocaleString('en');
const plural = (value: number, word: string) => `${n(value)} ${word}${value === 1 ? '' : 's'}`;

/** The import's report as the CLI prints it: counts first, then every problem, one per line. */
export function formatImportReport(report: ImportReport): string {
  const { users, tokens } = report;
  const verb = report.dryRun ? 'would be' : 'were';
  const lines = [
    `Import from ${report.source}${report.dryRun ? ' (dry run: nothing written)' : ''}`,
    '',
    `Users read: ${n(users.read)}`,
  ];
  if (!report.stopped) {
    lines.push(
      `  created:             ${n(users.created)}`,
      `  already here:        ${n(users.updated)} (matched by Django id; updated)`,
      `  skipped:             ${n(users.skipped)}`,
      `  renamed:             ${n(users.renamed)}`,
      `  deleted here:        ${n(users.deletedHere)} (imported before; not brought back)`,
      `  without a password:  ${n(users.withoutPassword)} (unusable or unsafe in Django: they use "Forgot password")`,
      `  without an address:  ${n(users.withoutEmail)}`,
      `  inactive:            ${n(users.inactive)} (imported, cannot log in, as in Django)`,
      `  staff, superusers:   ${n(users.staff)}, ${n(users.superusers)} (kept in django_users; this stack has no roles)`,
      '',
      `Tokens read: ${n(tokens.read)}`,
      `  imported:            ${n(tokens.imported)}`,
      `  imported before:     ${n(tokens.alreadyImported)}`,
      `  not imported:        ${n(tokens.notImported)}`,
      `  revoked:             ${n(tokens.revoked)} (deleted or replaced in Django since imported)`,
    );
  }
  if (report.problems.length > 0) {
    lines.push('', `${plural(report.problems.length, 'problem')}:`);
    for (const p of [...report.problems].sort((a, b) => a.djangoId - b.djangoId)) {
      const who = p.username ? `#${p.djangoId} ${JSON.stringify(p.username)}: ` : '';
      lines.push(`  ${who}${p.problem} — ${p.todo}`);
    }
  }
  if (report.stopped) lines.push('', report.stopped);
  else
    lines.push(
      '',
      `${plural(users.created + users.updated, 'user')} and ${plural(tokens.imported, 'token')} ${verb} written.`,
    );
  return lines.join('\n');
}

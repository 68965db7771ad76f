/** One user (or token) the import could not take as it is, and what to do. */
export type ImportProblem = { djangoId: number; username: string; problem: string; todo: string };

/** What an import found and did (or, in a dry run, would do). */
export type ImportReport = {
  source: string;
  dryRun: boolean;
  users: {
    read: number;
    created: number;
    updated: number;
    skipped: number;
    renamed: number;
    /** Imported before, deleted here since: not brought back. */
    deletedHere: number;
    withoutPassword: number;
    withoutEmail: number;
    inactive: number;
    staff: number;
    superusers: number;
  };
  tokens: {
    read: number;
    imported: number;
    alreadyImported: number;
    notImported: number;
    /** Imported before, then deleted or replaced in Django: revoked here too. */
    revoked: number;
  };
  problems: ImportProblem[];
  /** Set when nothing was written because collisions need a rule. */
  stopped?: string;
};

export function emptyReport(source: string, dryRun: boolean): ImportReport {
  return {
    source,
    dryRun,
    users: {
      read: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      renamed: 0,
      deletedHere: 0,
      withoutPassword: 0,
      withoutEmail: 0,
      inactive: 0,
      staff: 0,
      superusers: 0,
    },
    tokens: { read: 0, imported: 0, alreadyImported: 0, notImported: 0, revoked: 0 },
    problems: [],
  };
}

/** A reason the import cannot go on, said to the operator as it is. */
export class ImportError extends Error {}

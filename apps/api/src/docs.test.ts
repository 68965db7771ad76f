import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { USAGE } from './cli/run.ts';
import { ENV_VARIABLES, parseEnv } from './env.ts';
import { restRoutes } from './rest/routes.ts';
import { config } from './test/databases.ts';
import { procedures } from './test/procedures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The section of the README under `heading`, up to the next heading of its level or above. */
function section(heading: string): string {
  const start = readme.indexOf(`${heading}\n`);
  if (start === -1) throw new Error(`README has no "${heading}"`);
  const level = heading.split(' ')[0] ?? '#';
  const rest = readme.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next === -1 ? rest : rest.slice(0, next);
}

/** The rows of the tables in `text` whose first cell is `code`: first cell → the other cells. */
function tableRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (line.startsWith('|') && key) rows.set(key, cells.slice(2, -1));
  }
  return rows;
}

describe('README', () => {
  it('lists every procedure, and only those, with its kind', () => {
    const rows = tableRows(section('### Procedures'));
    expect([...rows.keys()].sort()).toEqual(procedures.map((p) => p.path).sort());
    for (const { path, type } of procedures) {
      expect(rows.get(path)?.[0], path).toMatch(new RegExp(`^${type}\\b`));
    }
  });

  it('lists every endpoint of the REST face, and only those', () => {
    const documented: string[] = [];
    for (const line of section('### The REST face (Djoser and DRF clients)').split('\n')) {
      if (!line.startsWith('| `')) continue;
      // "`PUT`, `PATCH /api/v1/users/me/`": the methods before a path are that path's too.
      let methods: string[] = [];
      for (const [, span = ''] of (line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) {
        const [method = '', path] = span.split(' ');
        methods.push(method);
        if (path === undefined) continue;
        documented.push(...methods.map((m) => `${m} ${path}`));
        methods = [];
      }
    }
    const served = restRoutes(config.passwords.minLength).flatMap((route) =>
      Object.keys(route.methods).map((method) => `${method} ${route.path}`),
    );
    expect(documented.sort()).toEqual(served.sort());
  });

  it('lists every environment variable the API reads, with its real default', () => {
    const rows = tableRows(section('## Configuration'));
    const apiRows = [...rows.keys()].filter(
      (name) => !['API_URL', 'WEB_PORT', 'VITE_AUTH_MODE'].includes(name),
    );
    expect(apiRows.sort()).toEqual([...ENV_VARIABLES].sort());
    const defaults = parseEnv({});
    for (const name of ENV_VARIABLES) {
      const documented = /^`([^`]*)`$/.exec(rows.get(name)?.[0] ?? '')?.[1];
      if (documented === undefined) {
        // "unset → PGlite", "(none)": the code has no value either.
        expect([undefined, null, []], `${name}'s default`).toContainEqual(defaults[name]);
      } else {
        expect(defaults[name], `${name}'s default`).toEqual(parseEnv({ [name]: documented })[name]);
      }
    }
  });
});

describe('README, of the command line', () => {
  it('shows every command and option the CLI takes', () => {
    // USAGE's command lines: two spaces, then the command's words (`token create`, `import-django`).
    const commands = [...USAGE.matchAll(/^ {2}([a-z][a-z-]*(?: [a-z]+)?)(?= |$)/gm)].map(
      ([, command = '']) => command.replace(/ (?!create|list|revoke|purge|show).*/, ''),
    );
    expect(commands).toContain('import-django');
    for (const command of commands) {
      expect(readme, command).toContain(`pnpm -s cli ${command}`);
    }
    for (const [option = ''] of USAGE.matchAll(/--[a-z-]+/g)) {
      expect(readme, option).toContain(option);
    }
  });
});

describe('README, of deploy/nginx.conf', () => {
  it('quotes only lines the file has', () => {
    const lines = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    // A directive quoted whole: `proxy_set_header X-Forwarded-For $remote_addr;`.
    const quoted = [...readme.matchAll(/`([a-z_0-9]+ [^`]*;)`/g)].map(([, line = '']) => line);
    expect(quoted).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    for (const line of quoted) expect(lines, line).toContain(line);
  });
});

describe('turbo.json', () => {
  it('passes every variable the API reads through to tasks (globalEnv)', () => {
    const turbo = JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8')) as {
      globalEnv: string[];
    };
    for (const name of ENV_VARIABLES) expect(turbo.globalEnv, name).toContain(name);
  });
});

describe('decision records', () => {
  it('exist for every ADR the code and docs cite', () => {
    const decisions = readdirSync(join(root, 'docs/decisions'));
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', 'dist', '.git', '.turbo', '.data'].includes(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|tsx|md)$/.test(entry.name)) sources.push(path);
      }
    };
    for (const dir of ['apps', 'packages', 'bench', 'e2e', 'docs']) walk(join(root, dir));
    sources.push(join(root, 'README.md'));
    const cited = new Map<string, string>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\b(?:ADR |docs\/decisions\/)(\d{4})/g)) {
        cited.set(match[1] ?? '', relative(root, file));
      }
    }
    expect(cited.size).toBeGreaterThan(0);
    for (const [number, file] of cited) {
      expect(
        decisions.some((name) => name.startsWith(`${number}-`)),
        `ADR ${number}, cited in ${file}`,
      ).toBe(true);
    }
  });
});

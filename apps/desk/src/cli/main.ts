/**
 * The desk's CLI: officials and API tokens.
 *
 *   npm run desk -- officer add --body <region code or agency slug> --role national-admin|liaison|officer [--unit <name>] --email <e-mail> [--name <name>]
 *   npm run desk -- officer list [--body <code>]
 *   npm run desk -- officer disable --email <e-mail>
 *   npm run desk -- officer reset-password --email <e-mail>
 *   npm run desk -- token create --body <code> [--name <name>] [--read-only]
 *   npm run desk -- token list [--body <code>]
 *   npm run desk -- token revoke --id <token id>
 *
 * On PostgreSQL (DATABASE_URL) it opens the database. On the embedded store (DATA_DIR) it
 * opens PGlite, unless `npm start` holds it: then it sends the command to the running
 * process (local-only endpoint, secret in DATA_DIR/desk-cli.json).
 */
import { parseArgs } from 'node:util';
import { dataSourceOptions } from '@lapor/persistence';
import { loadConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { ApiTokensService } from '../accounts/api-tokens.service';
import { OfficersService } from '../accounts/officers.service';
import { AuditService } from '../audit/audit.service';
import { BodyDirectory } from '../bodies/body-directory';
import { systemClock } from '../clock';
import { DESK_ENTITIES } from '../entities';
import { CLI_SECRET_HEADER, readCliLink } from './cli-link';
import { CommandResult, DeskCommand, DeskCommands } from './desk-commands';

const USAGE = `Usage: npm run desk -- <command>
  officer add --body <region code or agency slug> --role national-admin|liaison|officer [--unit <name>] --email <e-mail> [--name <name>]
              (no --body for national-admin; --unit is required for officer). Prints a one-time password.
  officer list [--body <code>]
  officer disable --email <e-mail>
  officer reset-password --email <e-mail>          prints a new one-time password
  token create --body <code> [--name <name>] [--read-only]   prints the token once
  token list [--body <code>]
  token revoke --id <token id>
Uses DATABASE_URL (PostgreSQL) or the embedded store in DATA_DIR (default .data), also while npm start runs.`;

class UsageError extends Error {}

export function parseCommand(argv: string[]): DeskCommand {
  const [noun, verb, ...rest] = argv;
  const s = { type: 'string' } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: rest, options: { body: s, role: s, unit: s, email: s, name: s, id: s, 'read-only': { type: 'boolean' } }, strict: true }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const command = `${noun ?? ''} ${verb ?? ''}`.trim();
  const parsed = DeskCommand.safeParse({ command, ...values, readOnly: values['read-only'] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(issue.path[0] === 'command' ? `unknown command "${command}"` : `--${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

async function runDirect(command: DeskCommand): Promise<CommandResult> {
  const config = loadConfig();
  const options = dataSourceOptions({ ...config.database, entities: DESK_ENTITIES, migrations: [], migrationsTableName: 'desk_migrations', poolSize: 2 });
  const db = new DataSource({ ...options, migrationsRun: false, logging: ['error'] });
  await db.initialize();
  try {
    const [{ present }] = (await db.query(`SELECT to_regclass('desk_officers') IS NOT NULL AS present`)) as { present: boolean }[];
    if (!present) return { ok: false, error: 'the desk tables do not exist yet: start the desk (or npm start) once, it creates them' };
    const audit = new AuditService(db, systemClock);
    const bodies = new BodyDirectory();
    return await new DeskCommands(new OfficersService(db, audit, bodies), new ApiTokensService(db, audit, systemClock), bodies).run(command);
  } finally {
    await db.destroy();
  }
}

async function runThroughRunningProcess(url: string, secret: string, command: DeskCommand): Promise<CommandResult> {
  const res = await fetch(`${url}/internal/desk/v1/commands`, { method: 'POST', headers: { 'Content-Type': 'application/json', [CLI_SECRET_HEADER]: secret }, body: JSON.stringify(command), signal: AbortSignal.timeout(30_000) });
  if (!res.ok) return { ok: false, error: `the running process answered ${res.status}: ${await res.text()}` };
  return (await res.json()) as CommandResult;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  let command: DeskCommand;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const link = config.database.databaseUrl ? null : readCliLink(config.env.DATA_DIR);
  const result = link ? await runThroughRunningProcess(link.url, link.secret, command) : await runDirect(command);
  if (!result.ok) {
    console.error(`error: ${result.error}`);
    return 1;
  }
  for (const line of result.lines) console.log(line);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvSchema } from '@lapor/runtime';
import { REPO_ROOT } from './kafka-broker';

/** Every deployable app: a folder in apps/ with src/main.ts, except the single-process composition root. */
export function deployableApps(): string[] {
  return readdirSync(join(REPO_ROOT, 'apps'))
    .filter((name) => name !== 'embedded' && existsSync(join(REPO_ROOT, 'apps', name, 'src', 'main.ts')))
    .sort();
}

/** The app a container command starts (`node dist/apps/<app>/main.js`), or undefined. */
export function appOfCommand(command: string[] | undefined): string | undefined {
  return (command ?? []).join(' ').match(/dist\/apps\/([\w-]+)\/main\.js/)?.[1];
}

/** Names of every environment variable the configuration schema knows. */
export const CONFIG_VARIABLES = new Set(Object.keys(EnvSchema.shape));

/**
 * Runs a command-line tool at the repository root and returns its stdout (throws with its stderr).
 * Only PATH and HOME are passed: docker-compose interpolates ${VARS} from the environment, and the
 * test run's own (KAFKA_BROKERS, DATABASE_URL) must not leak into what is checked.
 */
export function runTool(cmd: string, args: string[], input?: string): string {
  try {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    return execFileSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', input, env, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './kafka-broker';

const run = promisify(execFile);

/** What the runtime stage of the Dockerfile holds, laid out in a folder (there is no container engine here). */
export interface ImageRoot {
  /** Stands for the image's WORKDIR. */
  dir: string;
  workdir: string;
  /** The image's ENV, with paths under WORKDIR pointing into `dir`. */
  env: Record<string, string>;
}

/** The runtime stage's WORKDIR and ENV, read from the Dockerfile itself. */
export function dockerfileRuntime(): { workdir: string; env: Record<string, string> } {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stage = text.slice(text.lastIndexOf('\nFROM '));
  const workdir = stage.match(/^WORKDIR\s+(\S+)/m)![1];
  const env: Record<string, string> = {};
  for (const line of stage.match(/^ENV\s+.+$/gm) ?? []) {
    for (const [, k, v] of line.replace(/^ENV\s+/, '').matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  }
  return { workdir, env };
}

/**
 * Builds the image's /app as the Dockerfile does: `npm ci --omit=dev` (production dependencies
 * only, from the npm cache), `npm run build` into dist/, and the routing data. So a bundle that
 * needs a devDependency, or data the image lacks, fails here as it would in the image.
 */
export async function prepareImageRoot(): Promise<ImageRoot> {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-image-'));
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(REPO_ROOT, f), join(dir, f));
  const quiet = { maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } };
  await Promise.all([
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, ...quiet }),
    run('npm', ['run', 'build'], { cwd: REPO_ROOT, ...quiet, env: { ...quiet.env, LAPOR_BUILD_DIR: join(dir, 'dist') } }),
  ]);
  cpSync(join(REPO_ROOT, 'libs/routing/data'), join(dir, 'libs/routing/data'), { recursive: true });
  // The Dockerfile's other data: the working-day calendar and the default deadline policy (docs/deadlines.md).
  for (const d of ['libs/calendar/data', 'libs/deadlines/policy']) cpSync(join(REPO_ROOT, d), join(dir, d), { recursive: true });
  const { workdir, env } = dockerfileRuntime();
  return { dir, workdir, env };
}

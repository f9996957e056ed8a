import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../test/support/kafka-broker';
import type { GeneratorConfig, GeneratorResult } from './generator';

export type AppName = 'web-intake' | 'sms-intake' | 'social-intake' | 'router' | 'notifier';

/** How the apps are started: as deployed, the bundle `npm run build` made (dist/apps/<app>/main.js), or from source. */
export function appCommand(app: AppName, fromSource: boolean): string[] {
  const bundle = join(REPO_ROOT, 'dist', 'apps', app, 'main.js');
  if (!fromSource) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build (or pass --source)`);
    return [bundle];
  }
  return ['-r', '@swc-node/register', join('apps', app, 'src', 'main.ts')];
}

/**
 * A child process with its resident memory sampled while it runs. Its stdout (an app's JSON
 * log, a line per request) goes to `logFile` when given, as a container runtime would take it,
 * instead of through a pipe this process would have to read.
 */
export class Proc {
  readonly child: ChildProcess;
  private peakKb = 0;
  private sampler?: NodeJS.Timeout;
  private readonly output: string[] = [];

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
    private readonly nodeFlags: string[] = [],
    logFile?: string,
  ) {
    this.child = spawn(process.execPath, [...this.nodeFlags, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', logFile ? openSync(logFile, 'a') : 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > 200) this.output.shift();
      });
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Current resident set size in MB (VmRSS), or NaN once the process is gone. */
  rssMb(): number {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1]);
      return kb / 1024;
    } catch {
      return NaN;
    }
  }

  /** Starts recording the highest RSS seen from now on (sampled every 200 ms). */
  watchPeak(): void {
    this.peakKb = 0;
    clearInterval(this.sampler);
    this.sampler = setInterval(() => {
      const mb = this.rssMb();
      if (mb * 1024 > this.peakKb) this.peakKb = mb * 1024;
    }, 200);
  }

  /** The highest RSS (MB) since watchPeak(). */
  peakMb(): number {
    return Math.max(this.peakKb / 1024, this.rssMb() || 0);
  }

  lastLines(n = 30): string {
    return this.output.slice(-n).join('\n');
  }

  async waitForLine(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.some((l) => pattern.test(l))) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited (${this.child.exitCode}):\n${this.lastLines()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.lastLines()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls GET url until it answers 200. */
  async waitHealthy(url: string, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited (${this.child.exitCode}):\n${this.lastLines()}`);
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy at ${url} within ${timeoutMs} ms:\n${this.lastLines()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM (so a --cpu-prof profile is written), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs the load generator in its own process and returns what it measured. */
export async function generate(config: GeneratorConfig): Promise<GeneratorResult> {
  const gen = new Proc('generator', ['-r', '@swc-node/register', 'bench/load/generator.ts', JSON.stringify(config)], {});
  // 'close', not 'exit': by then its stdout has been read to the end.
  const code = await new Promise<number | null>((r) => gen.child.once('close', (c) => r(c)));
  const last = gen.lastLines(1);
  if (code !== 0) throw new Error(`generator failed (${code}):\n${gen.lastLines()}`);
  return JSON.parse(last) as GeneratorResult;
}

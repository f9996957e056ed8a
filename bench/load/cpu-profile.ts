/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): per process, the share of samples by
 * package (where the time goes: kafkajs, express, typeorm, pg, our code, GC…) and the top
 * functions by self time. Used by bench:load --cpu-prof DIR, and on its own:
 *
 *   node -r @swc-node/register bench/load/cpu-profile.ts DIR [top]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.cpuprofile') ? [p] : [];
  });
}

/** The package a script belongs to: node_modules/<name> (scoped too), node: internals, or our own folder. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node: internals';
  const own = /\/(apps\/[^/]+|libs\/[^/]+|bench)\//.exec(url);
  return own ? own[1] : url;
}

/**
 * Inclusive ("total") time of our own functions (apps/, libs/): the share of busy samples
 * with the function anywhere on the stack, so a caller's whole cost shows (routing, zod
 * parsing, the batch's SQL), not only its own lines.
 */
function inclusiveOwn(profile: Profile, top: number): [string, number][] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (functionName === '(idle)') break;
      const own = /\/(apps|libs)\/(.*)$/.exec(url);
      if (!own || url.includes('node_modules')) continue;
      seen.add(`${functionName || '(anonymous)'} ${own[1]}/${own[2]}:${lineNumber + 1}`);
    }
    for (const f of seen) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);
}

export function summariseProfile(file: string, top = 12): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfCount = new Map<number, number>();
  for (const id of profile.samples) selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  for (const [id, count] of selfCount) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += count;
      continue;
    }
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(apps|libs|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
  }
  const busy = total - idle;
  const pct = (n: number) => `${((100 * n) / busy).toFixed(1).padStart(5)} %`;
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${file}: ${total} samples, ${((100 * busy) / total).toFixed(0)} % busy; shares of busy time:`,
    '  by package:',
    ...rank(byPackage).map(([k, v]) => `    ${pct(v)}  ${k}`),
    '  top functions (self time):',
    ...rank(byFunction).map(([k, v]) => `    ${pct(v)}  ${k}`),
    '  our functions, inclusive (with all they call):',
    ...inclusiveOwn(profile, top).map(([k, v]) => `    ${pct(v)}  ${k}`),
  ].join('\n');
}

export function summariseProfiles(dir: string, top = 12): string {
  return files(dir)
    .map((f) => summariseProfile(f, top).replace(dir, relative(process.cwd(), dir) || '.'))
    .join('\n\n');
}

if (require.main === module) {
  console.log(summariseProfiles(process.argv[2], Number(process.argv[3] ?? 12)));
}

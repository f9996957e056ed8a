/**
 * The load generator, run as its own process by bench/load/main.ts (so its CPU is neither the
 * server's nor the orchestrator's). Two modes:
 *
 * - `rate` (open loop): request i is due at t0 + i/rate whatever the server does; it goes out
 *   on an idle connection (opening one, up to `connections`) or waits in a queue for the next
 *   one to free up. Latency is measured from when it was due, not from when it was sent, so a
 *   slow server cannot hide its latency by slowing the client down (no coordinated omission).
 * - `max` (closed loop): `connections` connections each send the next request as soon as the
 *   previous one was answered: the most the server can accept.
 *
 * Input: one JSON argument (GeneratorConfig). Output: one JSON line (GeneratorResult) on stdout.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { HttpAnswer, HttpConnection } from './http-connection';
import { requestFactory, RequestKind } from './requests';

export interface GeneratorConfig {
  port: number;
  kind: RequestKind;
  mode: 'rate' | 'max';
  /** Requests per second (rate mode). */
  rate: number;
  connections: number;
  warmupS: number;
  durationS: number;
  /** Public URL the Twilio signature is computed over. */
  signedBase: string;
  /** Where to append `trackingId acceptedAtEpochMs` lines of accepted web requests (end-to-end latency). */
  idsFile?: string;
}

export interface GeneratorResult {
  sent: number;
  accepted: number;
  /** Answers by status code, and connection errors, of the measured window. */
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  acceptedPerS: number;
  /** Accept latency (ms) of accepted requests: from when the request was due (rate) or sent (max). */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Requests still queued for a connection when the window closed (rate mode: the server fell behind). */
  lateAtEnd: number;
  /** The slowest second of the window: when it began (s from the start) and its worst latency (ms), to tell a stall from a steady tail. */
  worstSecond: { at: number; maxMs: number; answered: number };
}

const config = JSON.parse(process.argv[2]) as GeneratorConfig;
const make = requestFactory(config.kind, config.signedBase);
let counter = 0;

class Window {
  readonly startedAt = performance.now();
  /** Per second of the window: answers and the worst latency. */
  seconds: { answered: number; maxMs: number }[] = [];
  latencies: number[] = [];
  statuses: Record<string, number> = {};
  sent = 0;
  errors = 0;
  ids: string[] = [];
  record(startedAt: number, answer: HttpAnswer | Error): void {
    if (answer instanceof Error) {
      this.errors++;
      return;
    }
    this.statuses[answer.status] = (this.statuses[answer.status] ?? 0) + 1;
    if (answer.status >= 200 && answer.status < 300) {
      const ms = performance.now() - startedAt;
      this.latencies.push(ms);
      const s = (this.seconds[Math.floor((startedAt - this.startedAt) / 1000)] ??= { answered: 0, maxMs: 0 });
      s.answered++;
      s.maxMs = Math.max(s.maxMs, ms);
      if (config.idsFile) {
        const id = /"trackingId":"(\w+)"/.exec(answer.body.toString('latin1'))?.[1];
        if (id) this.ids.push(`${id} ${Date.now()}`);
      }
    }
  }
}

async function openConnection(): Promise<HttpConnection> {
  const c = new HttpConnection(config.port);
  await c.ready;
  return c;
}

/** Closed loop: each connection sends again as soon as it is answered. */
async function runMax(w: Window, seconds: number, pool: HttpConnection[]): Promise<number> {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    pool.map(async (c, k) => {
      let conn = c;
      while (performance.now() < until) {
        const t0 = performance.now();
        w.sent++;
        try {
          w.record(t0, await conn.request(make(counter++)));
        } catch (error) {
          w.record(t0, error as Error);
          conn = pool[k] = await openConnection();
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Open loop: requests are due on a fixed schedule; late ones wait in a queue, and their wait counts. */
async function runRate(w: Window, seconds: number, pool: HttpConnection[]): Promise<{ seconds: number; late: number }> {
  const idle = [...pool];
  const queue: number[] = []; // due times of requests waiting for a connection
  let open = pool.length;
  const t0 = performance.now();
  const total = Math.round(seconds * config.rate);
  let scheduled = 0;
  let inFlight = 0;
  const send = (conn: HttpConnection, due: number) => {
    inFlight++;
    w.sent++;
    conn.request(make(counter++)).then(
      (answer) => finish(conn, due, answer),
      (error: Error) => finish(conn, due, error),
    );
  };
  const finish = (conn: HttpConnection, due: number, answer: HttpAnswer | Error) => {
    inFlight--;
    w.record(due, answer);
    if (conn.closed) {
      open--;
      return;
    }
    const next = queue.shift();
    if (next !== undefined) send(conn, next);
    else idle.push(conn);
  };
  const dispatch = (due: number) => {
    const conn = idle.pop();
    if (conn) return send(conn, due);
    queue.push(due);
    if (open < config.connections) {
      open++;
      openConnection().then(
        (c) => {
          const next = queue.shift();
          if (next !== undefined) send(c, next);
          else idle.push(c);
        },
        () => open--,
      );
    }
  };
  while (scheduled < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - t0) / 1000) * config.rate) + 1);
    for (; scheduled < due; scheduled++) dispatch(t0 + (scheduled / config.rate) * 1000);
    await new Promise((r) => setTimeout(r, 1));
  }
  const endOfSchedule = performance.now();
  const late = queue.length;
  // Let what was sent finish (bounded), so its latency counts.
  const deadline = endOfSchedule + 30_000;
  while ((inFlight > 0 || queue.length > 0) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  pool.splice(0, pool.length, ...idle);
  return { seconds: (endOfSchedule - t0) / 1000, late };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function main() {
  const initial = config.mode === 'max' ? config.connections : Math.min(config.connections, 16);
  const pool = await Promise.all(Array.from({ length: initial }, openConnection));
  const run = (w: Window, s: number) => (config.mode === 'max' ? runMax(w, s, pool).then((seconds) => ({ seconds, late: 0 })) : runRate(w, s, pool));
  if (config.warmupS > 0) await run(new Window(), config.warmupS);
  const w = new Window();
  const { seconds, late } = await run(w, config.durationS);
  for (const c of pool) c.close();
  const sorted = w.latencies.sort((a, b) => a - b);
  const result: GeneratorResult = {
    sent: w.sent,
    accepted: sorted.length,
    statuses: w.statuses,
    errors: w.errors,
    seconds,
    acceptedPerS: sorted.length / seconds,
    p50: pct(sorted, 0.5),
    p99: pct(sorted, 0.99),
    p999: pct(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? NaN,
    lateAtEnd: late,
    worstSecond: w.seconds.reduce<GeneratorResult['worstSecond']>((worst, s, at) => (s && s.maxMs > worst.maxMs ? { at, ...s } : worst), { at: -1, maxMs: 0, answered: 0 }),
  };
  if (config.idsFile) {
    writeFileSync(config.idsFile, '');
    appendFileSync(config.idsFile, w.ids.join('\n'));
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

void main();

import net from 'node:net';

/**
 * The unit project's promise, kept by force: no Kafka, no PostgreSQL, no network. Loaded
 * before every unit test file (jest.config.js, setupFilesAfterEnv). Any TCP connection to a
 * PostgreSQL or Kafka port (the defaults, PGPORT, DATABASE_URL's, KAFKA_BROKERS') or to any
 * host off the loopback interface fails at once with an error that says so, and the test
 * file fails in afterAll even when the code under test caught that error (a media fetch
 * that "keeps the platform reference", a client that retries): a unit test that needs a
 * service belongs in the integration project (jest.config.js INTEGRATION).
 *
 * Local stand-ins on 127.0.0.1 (fake Twilio, Telegram, WhatsApp, X, S3) stay allowed.
 * Every socket connects through net.Socket.prototype.connect (net.connect, http, undici's
 * fetch, tls.connect, pg, kafkajs), and Node's core modules are shared by the test files of a
 * worker, so the guard is installed once per worker and reports to the file being run.
 */
const STATE = Symbol.for('lapor.unit-no-network');
interface GuardState {
  /** The refused attempts of the test file being run. */
  refused: string[];
  /**
   * Whether a unit test file is running. Jest runs integration files in the same worker
   * processes (same core modules, so the same patched connect), and they must reach
   * PostgreSQL and Kafka: the guard only refuses while a unit file runs.
   */
  active: boolean;
}
type Connect = typeof net.Socket.prototype.connect;
const processState = process as unknown as Record<symbol, GuardState | undefined>;

function servicePorts(env: NodeJS.ProcessEnv): Map<number, string> {
  const ports = new Map<number, string>([
    [5432, 'PostgreSQL'],
    [9092, 'Kafka'],
    [39092, 'Kafka (the shared test broker)'],
  ]);
  if (env.PGPORT && Number(env.PGPORT)) ports.set(Number(env.PGPORT), 'PostgreSQL (PGPORT)');
  if (env.DATABASE_URL && URL.canParse(env.DATABASE_URL)) ports.set(Number(new URL(env.DATABASE_URL).port || 5432), 'PostgreSQL (DATABASE_URL)');
  for (const broker of (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
    const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
    if (port) ports.set(port, 'Kafka (KAFKA_BROKERS)');
  }
  return ports;
}

const isLoopback = (host: string) => host === 'localhost' || host === '0.0.0.0' || host === '::' || host === '::1' || /^(::ffff:)?127\./.test(host) || host.endsWith('.localhost');

/** The TCP target of connect()'s many call forms (net.connect passes [options, callback] as one array); undefined for a Unix socket or pipe. */
function targetOf(args: unknown[]): { host: string; port: number } | undefined {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (options.path) return undefined;
    return { host: options.host || 'localhost', port: Number(options.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  return undefined;
}

function install(): void {
  const original: Connect = net.Socket.prototype.connect;
  const ports = servicePorts(process.env);
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    const service = target && (ports.get(target.port) ?? (isLoopback(target.host) ? undefined : 'a host off this machine'));
    if (!processState[STATE]?.active || !target || !service) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const message = `unit project: refused a TCP connection to ${target.host}:${target.port} (${service}); unit tests run without Kafka, PostgreSQL and the network (test/support/unit-no-network.ts): use a local stand-in, or move the test to the integration project`;
    const error = Object.assign(new Error(message), { code: 'ECONNREFUSED' });
    // Where it came from (a client left running by an earlier test file of this worker shows up here too).
    const from = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('unit-no-network') && !l.includes('node:')).slice(0, 4).join('\n');
    processState[STATE]?.refused.push(`${message}\n${from}`);
    process.nextTick(() => this.destroy(error));
    return this;
  } as Connect;
}

if (!processState[STATE]) install();
processState[STATE] = { refused: [], active: true };

afterAll(() => {
  const refused = processState[STATE]?.refused ?? [];
  processState[STATE] = { refused: [], active: false };
  if (refused.length) throw new Error(`${refused.length} network connection(s) attempted:\n${[...new Set(refused)].join('\n')}`);
});

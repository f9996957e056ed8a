/**
 * The bare baseline: node:http and a kafkajs producer with the bus's settings (idempotent,
 * acks=all, one request in flight), answering 202 once Kafka acknowledged the body, nothing
 * else. With `--linger-ms N` (N > 0) concurrent requests share one produce request (they
 * wait up to N ms for company). With `--check twilio|x` it first verifies the request's
 * signature exactly as sms-intake / social-intake do (same library, same HMAC), so those
 * apps are compared with a server doing the same cryptography.
 *
 *   node -r @swc-node/register bench/load/bare-server.ts --port P --brokers B --topic T [--linger-ms 1] [--check twilio|x]
 *
 * Prints "ready" on stderr once it listens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import twilio from 'twilio';
import { BENCH_SECRETS } from './requests';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    brokers: { type: 'string' },
    topic: { type: 'string' },
    'linger-ms': { type: 'string', default: '0' },
    check: { type: 'string', default: 'none' },
    'signed-base': { type: 'string', default: '' },
  },
});
const lingerMs = Number(values['linger-ms']);
const topic = values.topic!;
const MAX_BATCH = 500;

const kafka = new Kafka({ clientId: 'bare-baseline', brokers: values.brokers!.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

interface Waiting {
  key: string;
  value: Buffer;
  done: (error?: unknown) => void;
}
let pending: Waiting[] = [];
let timer: NodeJS.Timeout | undefined;

function flush(): void {
  timer = undefined;
  const batch = pending;
  pending = [];
  producer
    .send({ topic, acks: -1, messages: batch.map((w) => ({ key: w.key, value: w.value })) })
    .then(
      () => batch.forEach((w) => w.done()),
      (error) => batch.forEach((w) => w.done(error)),
    );
}

function store(key: string, value: Buffer): Promise<void> {
  if (lingerMs <= 0) return producer.send({ topic, acks: -1, messages: [{ key, value }] }).then(() => undefined);
  return new Promise((resolve, reject) => {
    pending.push({ key, value, done: (error) => (error ? reject(error) : resolve()) });
    if (pending.length >= MAX_BATCH) {
      clearTimeout(timer);
      flush();
    } else timer ??= setTimeout(flush, lingerMs);
  });
}

function verified(req: IncomingMessage, raw: Buffer): boolean {
  if (values.check === 'twilio') {
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string') return false;
    const params = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    return twilio.validateRequest(BENCH_SECRETS.twilioAuthToken, signature, values['signed-base'] + req.url, params);
  }
  if (values.check === 'x') {
    const header = req.headers['x-twitter-webhooks-signature'];
    if (typeof header !== 'string') return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', BENCH_SECRETS.xConsumerSecret).update(raw).digest('base64')}`);
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return true;
}

let counter = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!verified(req, raw)) {
      res.writeHead(403).end();
      return;
    }
    const id = String(counter++);
    store(id, raw).then(
      () => {
        const body = JSON.stringify({ trackingId: id, status: 'received' });
        res.writeHead(202, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
      },
      () => res.writeHead(503).end(),
    );
  });
});

async function main() {
  await producer.connect();
  await new Promise<void>((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
  process.stderr.write('ready\n');
}

void main();

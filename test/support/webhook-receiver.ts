import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  raw: string;
  /** The HTTP status it was answered with. */
  answered: number;
}

/**
 * A receiving system (an agency's own, Ombudsman RI's intake) as a local HTTP server that
 * stores every POST and answers 200, or what the test scripted for that path.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly script = new Map<string, number[]>();
  private server?: Server;
  url = '';

  /** The next POSTs to `path` are answered with these statuses, in order (then 200 again). */
  answer(path: string, ...statuses: number[]): void {
    this.script.set(path, statuses);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const answered = this.script.get(path)?.shift() ?? 200;
        this.received.push({ path, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), answered });
        res.writeHead(answered, { 'Content-Type': 'application/json' });
        res.end(answered < 300 ? '{"ok":true}' : '{"ok":false}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * What a receiving system does with `X-Lapor-Signature` (README "Webhook: your own system
 * receives every notice"): `sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant
 * time. Written out with node:crypto, independently of the gateway's own signing code.
 */
export function signatureValid(key: string, raw: string, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(raw, 'utf8').digest('hex')}`);
  const given = Buffer.from(typeof header === 'string' ? header : '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

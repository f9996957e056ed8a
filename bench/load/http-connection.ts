import { connect, Socket } from 'node:net';

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/**
 * One keep-alive HTTP/1.1 connection that sends ready-made request bytes and parses just
 * enough of the answer (status, Content-Length or chunked body). A load generator in
 * JavaScript must stay far cheaper than the servers it measures on a 2-core machine:
 * node:http's client costs several times more CPU per request than this.
 */
export class HttpConnection {
  private readonly socket: Socket;
  private buffered = Buffer.alloc(0);
  private waiting?: { resolve: (a: HttpAnswer) => void; reject: (e: Error) => void };
  private closedWith?: Error;
  readonly ready: Promise<void>;

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect({ port, host, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  get busy(): boolean {
    return !!this.waiting;
  }

  get closed(): boolean {
    return !!this.closedWith;
  }

  /** Sends one request; one at a time per connection (no pipelining). */
  request(bytes: Buffer): Promise<HttpAnswer> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.waiting) throw new Error('connection busy');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.closedWith ??= error;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(error);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const answer = parseAnswer(this.buffered);
    if (!answer) return;
    this.buffered = this.buffered.subarray(answer.consumed);
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ status: answer.status, body: answer.body });
  }
}

/** A complete answer at the start of `buf`, or null while more bytes are needed. */
export function parseAnswer(buf: Buffer): { status: number; body: Buffer; consumed: number } | null {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const start = headEnd + 4;
  if (length) {
    const end = start + Number(length[1]);
    return buf.length < end ? null : { status, body: buf.subarray(start, end), consumed: end };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      const dataEnd = lineEnd + 2 + size;
      if (buf.length < dataEnd + 2) return null;
      if (size === 0) {
        // No trailers expected: the last chunk is followed by one empty line.
        return { status, body: Buffer.concat(parts), consumed: dataEnd + 2 };
      }
      parts.push(buf.subarray(lineEnd + 2, dataEnd));
      at = dataEnd + 2;
    }
  }
  // 204/304 and friends: no body.
  return { status, body: Buffer.alloc(0), consumed: start };
}

/** The bytes of one POST. */
export function postBytes(path: string, headers: Record<string, string>, body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: keep-alive', `Content-Length: ${b.length}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), b]);
}

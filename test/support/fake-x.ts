import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface XApiRequest {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, any>;
}

/**
 * A local stand-in for the X API v2 over HTTPS (twitter-api-v2 always uses https.request),
 * with a self-signed certificate for 127.0.0.1 made by openssl in a temp dir. Point
 * X_API_ROOT at `apiRoot` and X_API_CA_FILE at `caFile`. Answers DMs
 * (POST /2/dm_conversations/with/:id/messages) and posts (POST /2/tweets) as X does,
 * records them, and can be told to fail the next requests (403, 429 + x-rate-limit-reset) or
 * to carry one out and drop the connection before answering.
 */
export async function startFakeX() {
  const dir = mkdtempSync(join(tmpdir(), 'fake-x-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const requests: XApiRequest[] = [];
  const failures: Array<{ status: number; body: unknown; headers?: Record<string, string> } | 'lose-answer'> = [];
  let nextId = 1992200000000000000n;
  const dmMedia = new Map<string, Buffer>();
  const dmMediaDownloads: { path: string; signed: boolean }[] = [];

  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = req.url?.split('?')[0] ?? '';
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    // DM media (ton.twitter.com/1.1/ton/data/dm/... at X): only with an OAuth 1.0a user-context signature.
    const file = req.method === 'GET' ? dmMedia.get(path) : undefined;
    if (file) {
      const signed = /^OAuth .*oauth_signature=/.test(req.headers.authorization ?? '') && (req.headers.authorization ?? '').includes('oauth_token=');
      dmMediaDownloads.push({ path, signed });
      res.writeHead(signed ? 200 : 401, { 'content-type': signed ? 'image/jpeg' : 'application/json' });
      return void res.end(signed ? file : '{"errors":[{"code":32,"message":"Could not authenticate you."}]}');
    }
    const failure = failures.shift();
    if (failure && failure !== 'lose-answer') return reply(failure.status, failure.body, failure.headers);
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: text ? JSON.parse(text) : {} });
    if (failure === 'lose-answer') return void req.socket.destroy();
    const dm = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(path);
    if (req.method === 'POST' && dm) return reply(201, { data: { dm_conversation_id: `1580661436132757506-${dm[1]}`, dm_event_id: String(nextId++) } });
    if (req.method === 'POST' && path === '/2/tweets') return reply(201, { data: { id: String(nextId++), text: JSON.parse(text).text, edit_history_tweet_ids: [] } });
    return reply(404, { title: 'Not Found Error', detail: `no route ${req.method} ${path}`, type: 'https://api.twitter.com/2/problems/resource-not-found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `https://127.0.0.1:${port}`,
    caFile,
    requests,
    /** Makes a DM photo downloadable at `apiRoot` + the path of an X DM media URL; returns that URL. */
    addDmMedia(path: string, bytes: Buffer): string {
      dmMedia.set(path, bytes);
      return `https://127.0.0.1:${port}${path}`;
    },
    dmMediaDownloads,
    /** DMs sent, by recipient user id. */
    dms: () => requests.filter((r) => r.path.startsWith('/2/dm_conversations/')).map((r) => ({ to: r.path.split('/')[4], text: String(r.body.text) })),
    /** Posts sent (public replies). */
    posts: () => requests.filter((r) => r.path === '/2/tweets').map((r) => ({ text: String(r.body.text), inReplyTo: r.body.reply?.in_reply_to_tweet_id as string | undefined })),
    failNext(status: number, body: unknown, headers?: Record<string, string>) {
      failures.push({ status, body, headers });
    },
    /** The next request is carried out (recorded), but the connection drops before X's answer. */
    loseAnswerNext() {
      failures.push('lose-answer');
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


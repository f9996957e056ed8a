import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SentTelegramMessage {
  token: string;
  chatId: string;
  text: string;
  body: Record<string, unknown>;
}

export interface BotApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/**
 * A small local Bot API stand-in (https://core.telegram.org/bots/api#making-requests):
 * answers getMe, sendMessage, setWebhook and deleteWebhook at /bot<token>/<method> as
 * Telegram does, records what the bot sent, and can be told to fail sends to a chat
 * (403 blocked, 429 with retry_after), or to send one and drop the connection before
 * answering (the bot cannot tell whether it went out). Point TELEGRAM_API_ROOT at `apiRoot`.
 * Files given to `addFile` are served as Telegram does: getFile answers a file_path, and
 * GET /file/bot<token>/<file_path> the bytes (https://core.telegram.org/bots/api#getfile);
 * an unknown file_id is 400 "Bad Request: invalid file_id".
 */
export async function startFakeTelegram(opts: { username?: string } = {}) {
  const sent: SentTelegramMessage[] = [];
  const calls: Array<{ token: string; method: string }> = [];
  const failures = new Map<string, Array<BotApiError | 'lose-answer'>>();
  let messageId = 1000;
  const files = new Map<string, { path: string; bytes: Buffer }>();
  const fileDownloads: string[] = [];

  const server: Server = createServer(async (req, res) => {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url?.split('?')[0] ?? '');
    if (download) {
      const file = [...files.values()].find((f) => f.path === download[2]);
      fileDownloads.push(download[2]);
      res.writeHead(file ? 200 : 404, { 'content-type': 'application/octet-stream' });
      return void res.end(file?.bytes ?? '');
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match;
    calls.push({ token, method });
    const body = await readJson(req);
    if (method === 'getMe') return reply(200, { ok: true, result: { id: Number(token.split(':')[0]) || 1, is_bot: true, first_name: 'LAPOR! Test', username: opts.username ?? 'LaporTestBot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } });
    if (method === 'setWebhook' || method === 'deleteWebhook') return reply(200, { ok: true, result: true });
    if (method === 'getUpdates') return reply(200, { ok: true, result: [] });
    if (method === 'getFile') {
      const file = files.get(String(body.file_id));
      if (!file) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      return reply(200, { ok: true, result: { file_id: body.file_id, file_unique_id: `u${String(body.file_id).slice(-8)}`, file_size: file.bytes.length, file_path: file.path } });
    }
    if (method === 'sendMessage') {
      const chatId = String(body.chat_id);
      const failure = failures.get(chatId)?.shift();
      if (failure && failure !== 'lose-answer') return reply(failure.error_code, { ok: false, ...failure });
      sent.push({ token, chatId, text: String(body.text), body });
      if (failure === 'lose-answer') return void req.socket.destroy();
      return reply(200, { ok: true, result: { message_id: ++messageId, from: { id: Number(token.split(':')[0]) || 1, is_bot: true, first_name: 'LAPOR! Test' }, chat: { id: Number(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), text: body.text } });
    }
    return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    sent,
    calls,
    /** file_paths downloaded, in order. */
    fileDownloads,
    /** Makes a file_id fetchable (getFile + download), as a photo or document the user sent. */
    addFile(fileId: string, bytes: Buffer, path = `photos/file_${files.size}.jpg`) {
      files.set(fileId, { path, bytes });
    },
    /** The next sends to this chat fail with these Bot API errors, in order. */
    failNext(chatId: string | number, ...errors: BotApiError[]) {
      failures.set(String(chatId), [...(failures.get(String(chatId)) ?? []), ...errors]);
    },
    /** The next message to this chat is sent, but the connection drops before Telegram's answer. */
    loseAnswerNext(chatId: string | number) {
      failures.set(String(chatId), [...(failures.get(String(chatId)) ?? []), 'lose-answer']);
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

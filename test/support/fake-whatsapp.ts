import { createHash, createHmac } from 'node:crypto';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface WhatsAppApiRequest {
  path: string;
  authorization?: string;
  body: Record<string, any>;
  status: number;
  answer?: Record<string, any>;
}

/**
 * A local stand-in for the WhatsApp Cloud API's messages endpoint (POST /<phone number id>/messages),
 * answering as Meta does: `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid.…"}]}`,
 * or `{error: {code, message, …}}`. It keeps the 24-hour customer-service window per number:
 * free-form text to a number whose window is closed (`closeWindow`) is refused with 131047,
 * as Meta does, while a template is accepted. Can fail the next request to a number with a
 * given error code. Serves the media endpoints too (`addMedia`: GET /<media id>, then the
 * download URL it answers). Point WHATSAPP_API_ROOT at `apiRoot`.
 */
export async function startFakeWhatsApp(options: { phoneNumberId?: string; accessToken?: string } = {}) {
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const accessToken = options.accessToken ?? 'EAAG-test-access-token';
  const requests: WhatsAppApiRequest[] = [];
  const failures = new Map<string, Array<{ status: number; code: number }>>();
  const closed = new Set<string>();
  let next = 1;
  let apiRoot = '';
  const media = new Map<string, { bytes: Buffer; mimeType: string }>();
  /** Media ids whose bytes were downloaded, in order. */
  const mediaDownloads: string[] = [];

  /**
   * The Cloud API's media endpoints: GET /<media id> answers the download URL (valid 5 minutes at
   * Meta; lookaside.fbsbx.com there, this stand-in here) and the file's claims; GET of that URL the
   * bytes. Both need the access token as a bearer token (401 190 otherwise); an unknown id is 400 100.
   * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
   */
  const serveMedia = (url: string, authorization: string | undefined, res: ServerResponse, error: (status: number, code: number, message: string) => void) => {
    const { pathname, searchParams } = new URL(url, 'http://stand-in');
    if (authorization !== `Bearer ${accessToken}`) return error(401, 190, 'Error validating access token');
    if (pathname === '/whatsapp_business/attachments/') {
      const id = searchParams.get('mid') ?? '';
      const file = media.get(id);
      if (!file) return error(404, 100, 'media not found');
      mediaDownloads.push(id);
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) });
      return void res.end(file.bytes);
    }
    const id = pathname.slice(1);
    const file = media.get(id);
    if (!file) return error(400, 100, `Unsupported get request. Object with ID '${id}' does not exist`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', url: `${apiRoot}/whatsapp_business/attachments/?mid=${id}&ext=1763805600&hash=stand-in`, mime_type: file.mimeType, sha256: createHash('sha256').update(file.bytes).digest('hex'), file_size: String(file.bytes.length), id }));
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url?.split('?')[0] ?? '';
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      body = {};
    }
    const reply = (status: number, answer: unknown) => {
      requests.push({ path, authorization: req.headers.authorization, body, status, answer: answer as Record<string, any> });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    const error = (status: number, code: number, message: string) => reply(status, { error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: message }, fbtrace_id: 'AbCdEf123' } });
    if (req.method === 'GET') return serveMedia(req.url ?? '/', req.headers.authorization, res, error);
    if (req.method !== 'POST' || path !== `/${phoneNumberId}/messages`) return error(404, 100, `Unsupported request ${req.method} ${path}`);
    if (req.headers.authorization !== `Bearer ${accessToken}`) return error(401, 190, 'Error validating access token');
    const to = String(body.to ?? '');
    const failure = failures.get(to)?.shift();
    if (failure) return error(failure.status, failure.code, `failure ${failure.code} (test)`);
    if (body.type === 'text' && closed.has(to)) return error(400, 131047, 'Re-engagement message: more than 24 hours have passed since the recipient last replied');
    const wamid = `wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEj${String(next++).padStart(8, '0')}A=`;
    reply(200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [{ id: wamid }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  apiRoot = `http://127.0.0.1:${port}`;
  return {
    apiRoot,
    /** Makes a media id (an image or document a citizen sent) retrievable. */
    addMedia: (id: string, bytes: Buffer, mimeType: string) => void media.set(id, { bytes, mimeType }),
    mediaDownloads,
    phoneNumberId,
    accessToken,
    requests,
    /** Accepted messages to a number: free-form texts and templates, with the wamid each got. */
    to: (number: string) =>
      requests
        .filter((r) => r.status === 200 && r.body.to === number)
        .map((r) => ({ type: String(r.body.type), text: r.body.type === 'text' ? String(r.body.text?.body) : String(r.body.template?.components?.[0]?.parameters?.[0]?.text), template: r.body.template, wamid: String(r.answer?.messages?.[0]?.id) })),
    closeWindow: (number: string) => void closed.add(number),
    failNext: (number: string, code: number, status = 400) => void (failures.get(number) ?? failures.set(number, []).get(number)!).push({ status, code }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakeWhatsApp = Awaited<ReturnType<typeof startFakeWhatsApp>>;

/** The environment that points the system at the stand-in and signs webhooks with `appSecret`. */
export function whatsAppTestEnv(fake: FakeWhatsApp, appSecret: string, verifyToken: string): Record<string, string> {
  return { WHATSAPP_APP_SECRET: appSecret, WHATSAPP_VERIFY_TOKEN: verifyToken, WHATSAPP_PHONE_NUMBER_ID: fake.phoneNumberId, WHATSAPP_ACCESS_TOKEN: fake.accessToken, WHATSAPP_API_ROOT: fake.apiRoot };
}

/** X-Hub-Signature-256 as Meta computes it: sha256=<hex HMAC-SHA256 of the raw body with the app secret>. */
export function hubSignature(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Posts a notification to /webhooks/whatsapp as Meta does (signed unless `signature: null`). */
export async function postWhatsAppWebhook(baseUrl: string, body: unknown, appSecret: string, over: { signature?: string | null; raw?: string } = {}) {
  const raw = over.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = over.signature === undefined ? hubSignature(raw, appSecret) : over.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

let counter = 0;
/** A citizen's text message as the Cloud API delivers it (entry → changes → value → messages). */
export function whatsAppText(from: string, body: string, options: { id?: string; name?: string; timestamp?: number; phoneNumberId?: string } = {}) {
  const id = options.id ?? `wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA${process.pid}${String(counter++).padStart(6, '0')}AA==`;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100001708', phone_number_id: options.phoneNumberId ?? '106540352242922' },
              contacts: [{ profile: { name: options.name ?? 'Siti Rahma' }, wa_id: from }],
              messages: [{ from, id, timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
            },
          },
        ],
      },
    ],
  };
}

/** A delivery report (statuses[]) on a message we sent, with an error code when it failed. */
export function whatsAppStatus(wamid: string, recipient: string, status: 'sent' | 'delivered' | 'read' | 'failed', errorCode?: number) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100001708', phone_number_id: '106540352242922' },
              statuses: [
                {
                  id: wamid,
                  status,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: recipient,
                  ...(errorCode ? { errors: [{ code: errorCode, title: 'Message undeliverable.', message: 'Message undeliverable.', error_data: { details: 'Message Undeliverable.' } }] } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

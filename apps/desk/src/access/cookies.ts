import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../accounts/sessions.service';

/** The cookies of a request (RFC 6265 `name=value; name=value`); no dependency needed for this. */
export function cookiesOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      /* a malformed cookie is ignored */
    }
  }
  return out;
}

/**
 * The session cookie: Secure (browsers treat http://localhost and 127.0.0.1 as secure
 * contexts, so it still works for `npm start`), HttpOnly (no script reads it), SameSite=Lax
 * (not sent on cross-site POSTs; links from officials' e-mails still open the console),
 * scoped to /desk.
 */
export function setSessionCookie(res: Response, id: string, maxAgeSeconds: number): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/desk; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`);
}

export function clearSessionCookie(res: Response): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/desk; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
}

/** The client's address as the desk saw the connection (behind a proxy, configure Express's trust proxy). */
export function clientAddress(req: Request): string {
  return (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

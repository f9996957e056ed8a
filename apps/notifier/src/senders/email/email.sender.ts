import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { createTransport, Transporter } from 'nodemailer';
import { ChannelSender, OutboundMessage, PermanentSendError, SendResult, transportFailure } from '../channel-sender';
import { emailHtml } from './email-html';

/**
 * E-mail through nodemailer (multipart/alternative: the text, and for reporters an HTML
 * part made from it, email-html.ts): SMTP when SMTP_URL is set (smtp://user:pass@host:port,
 * smtps:// for implicit TLS), otherwise the same message is rendered to an .eml file in
 * the local outbox (OUTBOX_DIR/email), so embedded mode needs no mail server.
 *
 * SMTP cannot be asked whether a message arrived, so every attempt at one notification
 * carries the same Message-ID (RFC 5322 §3.6.4): a receiving system can drop a repeat.
 */
@Injectable()
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  /** SMTP, or without SMTP_URL a .eml file per message in OUTBOX_DIR/email (readable by any mail client). */
  readonly vendor = 'smtp';
  private readonly transport: Transporter;
  private readonly outboxDir?: string;
  /** The right-hand side of our Message-IDs: MAIL_FROM's domain. */
  private readonly messageIdDomain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.messageIdDomain = /@([^\s<>@]+)>?\s*$/.exec(config.env.MAIL_FROM)?.[1] ?? 'lapor-gateway.invalid';
    if (config.env.SMTP_URL) {
      this.transport = createTransport(config.env.SMTP_URL);
    } else {
      this.outboxDir = join(config.outboxDir, 'email');
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.config.env.MAIL_FROM,
        to,
        subject: message.subject ?? undefined,
        text: message.body,
        // Reporters' messages (they carry their language) also get an HTML part with the same content; officials' notices stay plain text.
        ...(message.headers['Content-Language'] ? { html: emailHtml(message.body, { subject: message.subject, lang: message.headers['Content-Language'] }) } : {}),
        headers: message.headers,
        ...(message.idempotencyKey ? { messageId: `<${message.idempotencyKey}@${this.messageIdDomain}>` } : {}),
      });
      if (!this.outboxDir) return { externalId: info.messageId };
      mkdirSync(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.headers['X-Lapor-Tracking-Id'] ?? 'message'}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      return { externalId: file };
    } catch (error) {
      // SMTP 5xx on RCPT means this mailbox will never take it (RFC 5321 §4.2.1).
      const code = (error as { responseCode?: number }).responseCode;
      if (code && code >= 500 && code < 600) throw new PermanentSendError(`SMTP ${code}: ${(error as Error).message}`, true, String(code));
      if (code) throw error; // 4xx: the server refused it for now
      throw transportFailure('SMTP', error); // no reply, e.g. the connection broke after DATA: the server may have the message
    }
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { createTransport, Transporter } from 'nodemailer';
import { ChannelSender, OutboundMessage, PermanentSendError, SendResult } from '../channel-sender';

/**
 * E-mail through nodemailer: SMTP when SMTP_URL is set (smtp://user:pass@host:port,
 * smtps:// for implicit TLS), otherwise the same message is rendered to an .eml file in
 * the local outbox (OUTBOX_DIR/email), so embedded mode needs no mail server.
 */
@Injectable()
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  private readonly outboxDir?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.env.SMTP_URL) {
      this.transport = createTransport(config.env.SMTP_URL);
    } else {
      this.outboxDir = join(config.outboxDir, 'email');
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({ from: this.config.env.MAIL_FROM, to, subject: message.subject ?? undefined, text: message.body, headers: message.headers });
      if (!this.outboxDir) return { externalId: info.messageId };
      mkdirSync(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.headers['X-Lapor-Tracking-Id'] ?? 'message'}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      return { externalId: file };
    } catch (error) {
      // SMTP 5xx on RCPT means this mailbox will never take it (RFC 5321 §4.2.1).
      const code = (error as { responseCode?: number }).responseCode;
      if (code && code >= 500 && code < 600) throw new PermanentSendError(`SMTP ${code}: ${(error as Error).message}`, true, String(code));
      throw error;
    }
  }
}

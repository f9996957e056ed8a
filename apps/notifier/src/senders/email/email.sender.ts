import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { createTransport, Transporter } from 'nodemailer';
import type { RenderedMessage } from '../../messages/status-message';
import { ChannelSender, SendResult } from '../channel-sender';

/**
 * E-mail through nodemailer: SMTP when SMTP_URL is set (smtp://user:pass@host:port,
 * smtps:// for implicit TLS), otherwise the same message is rendered to an .eml file in
 * the local outbox (OUTBOX_DIR/email), so embedded mode needs no mail server.
 */
@Injectable()
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly log = new Logger(EmailSender.name);
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

  async send(to: string, message: RenderedMessage, headers: Record<string, string>): Promise<SendResult> {
    const info = await this.transport.sendMail({ from: this.config.env.MAIL_FROM, to, subject: message.subject, text: message.text, headers });
    if (this.outboxDir) {
      mkdirSync(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${headers['X-Lapor-Tracking-Id'] ?? 'message'}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      this.log.log(`e-mail to ${to} written to ${file}`);
      return { externalId: file };
    }
    return { externalId: info.messageId };
  }
}

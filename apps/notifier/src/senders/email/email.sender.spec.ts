import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComplaintStatusChangedPayload, trackingIdFor } from '@lapor/contracts';
import { LOCALES, Locale } from '@lapor/i18n';
import { loadConfig } from '@lapor/runtime';
import { DomUtils, parseDocument } from 'htmlparser2';
import { simpleParser } from 'mailparser';
import { startSmtpServer } from '../../../../../test/support/smtp';
import { MessageLinks, RenderedMessage, statusPageUrl } from '../../messages/message';
import { renderOmbudsmanOffer, renderStatus } from '../../messages/status.message';
import { EmailSender } from './email.sender';

const ID = trackingIdFor('web', 'email-spec');
const OTHER = trackingIdFor('web', 'email-spec-other');
const BASE = 'https://lapor.example.id/';

function change(over: Partial<ComplaintStatusChangedPayload>, locale: Locale): ComplaintStatusChangedPayload {
  return {
    trackingId: ID, status: 'assigned', previousStatus: 'received', sequence: 3, changedAt: '2026-03-02T01:15:00.000Z', channel: 'web', senderId: 'h:x', replyTo: [{ channel: 'email', address: 'warga@example.com' }], locale,
    assignment: { kind: 'kota', code: '32.73', name: 'Kota Bandung', unit: 'Dinas Sumber Daya Air dan Bina Marga' },
    ...over,
  };
}

/**
 * Every kind of e-mail a reporter gets: acknowledgement, a question, a response, the ends, the
 * Ombudsman offer and forward. The status messages also say how to check by SMS (CEK works
 * from any phone); the offer and the forward do not (OMBUDSMAN only from the reporting number).
 */
const MAILS: [string, (locale: Locale, links: MessageLinks) => RenderedMessage][] = [
  ['acknowledgement', (l, links) => renderStatus(change({}, l), 'email', links)],
  ['acknowledgement into triage', (l, links) => renderStatus(change({ status: 'triage', assignment: { kind: 'triage', code: '', name: 'Triase' } }, l), 'email', links)],
  ['question', (l, links) => renderStatus(change({ status: 'waiting_info', previousStatus: 'in_progress', reporterMessage: 'Di RT/RW berapa?\nSejak kapan <b>rusak</b> & berlubang?' }, l), 'email', links)],
  ['response', (l, links) => renderStatus(change({ status: 'responded', previousStatus: 'in_progress', reporterMessage: 'Sudah ditambal. Lihat https://pu.example.go.id/jalan?id=1&x=2.' }, l), 'email', links)],
  ['closed by an admin while objecting', (l, links) => renderStatus(change({ status: 'closed', previousStatus: 'reopened', closedBy: 'admin', ombudsmanOffer: true }, l), 'email', links)],
  ['archived', (l, links) => renderStatus(change({ status: 'archived', previousStatus: 'assigned', archiveReason: 'unclear', closedBy: 'admin' }, l), 'email', links)],
  ['merged', (l, links) => renderStatus(change({ status: 'merged', previousStatus: 'accepted', mergedInto: OTHER }, l), 'email', links)],
  ['Ombudsman offer', (l, links) => renderOmbudsmanOffer(change({ status: 'in_progress', previousStatus: 'in_progress', ombudsmanOffer: true }, l), 'email', links)],
  ['forwarded to Ombudsman RI', (l, links) => renderStatus(change({ status: 'in_progress', previousStatus: 'in_progress', event: 'forwarded-ombudsman' }, l), 'email', links)],
];

/** Each optional setting an e-mail may point to, set and unset. */
const SETTINGS: [string, MessageLinks][] = [
  ['nothing set', {}],
  ['PUBLIC_BASE_URL', { publicBaseUrl: BASE }],
  ['SMS number', { smsNumber: '1708' }],
  ['both', { publicBaseUrl: BASE, smsNumber: '+62 811 1708' }],
];

/** The text part as a reader sees it in the HTML: quotes without their `> `, no `--` (a rule there), one space for any run of whitespace. */
const asRead = (text: string) => text.split('\n').filter((line) => line.trim() !== '--').map((line) => line.replace(/^> ?/, '')).join(' ').replace(/\s+/g, ' ').trim();
const htmlText = (html: string) => DomUtils.textContent(DomUtils.findOne((e) => e.name === 'body', parseDocument(html).children)!).replace(/\s+/g, ' ').trim();

async function sendToOutbox(message: RenderedMessage) {
  const outbox = mkdtempSync(join(tmpdir(), 'lapor-email-'));
  const sender = new EmailSender(loadConfig({ OUTBOX_DIR: outbox }));
  await sender.send('warga@example.com', { ...message, headers: { ...message.headers, 'X-Lapor-Tracking-Id': ID } });
  const [file] = readdirSync(join(outbox, 'email'));
  return simpleParser(readFileSync(join(outbox, 'email', file)));
}

describe('e-mails to reporters', () => {
  const cases = LOCALES.flatMap((locale) => SETTINGS.flatMap(([setting, links]) => MAILS.map(([kind, render]) => [`${locale}, ${setting}: ${kind}`, locale, links, render(locale, links), kind] as const)));

  it.each(cases)('%s: says only what the settings allow', (_name, locale, links, { body }, kind) => {
    const page = statusPageUrl(links.publicBaseUrl, body.includes(OTHER) ? OTHER : ID, locale)!;
    if (links.publicBaseUrl) expect(body).toContain(page);
    else expect(body).not.toMatch(/https?:\/\/lapor|\/lapor\/cek|undefined/);
    if (links.smsNumber && !/Ombudsman/.test(kind)) expect(body).toContain(`${links.smsNumber}.`);
    if (!links.smsNumber) expect(body).not.toMatch(/\bSMS\b/);
    // No sentence left hanging: a line ending in ":" is followed by the words it announces (a quote).
    const lines = body.split('\n');
    lines.forEach((line, i) => {
      if (/(:|\bke|\bto|\bvia)\s*$/i.test(line)) expect({ line, next: lines.slice(i + 1).find((l) => l.trim()) }).toEqual({ line, next: expect.stringMatching(/^> /) });
    });
    expect(body).not.toMatch(/\{\w+\}|null|\.\.\.$/m);
  });

  it.each(LOCALES.flatMap((locale) => MAILS.map(([kind, render]) => [`${locale}: ${kind}`, locale, render(locale, SETTINGS[3][1])] as const)))('%s: the HTML part says what the text part says, with the status page linked', async (_name, locale, message) => {
    const mail = await sendToOutbox(message);
    expect(mail.text?.trimEnd()).toBe(message.body.trimEnd());
    expect(typeof mail.html).toBe('string');
    expect(htmlText(mail.html as string)).toBe(asRead(message.body));
    expect(mail.html).toContain(`<html lang="${locale}">`);
    const page = statusPageUrl(BASE, message.body.includes(OTHER) ? OTHER : ID, locale)!;
    expect(mail.html).toContain(`<a href="${page.replace(/&/g, '&amp;')}"`);
    expect(mail.headers.get('content-language')).toBe(locale);
  });

  it('escapes what an officer wrote and links only whole addresses', async () => {
    const mail = await sendToOutbox(MAILS[3][1]('id', {}));
    expect(mail.html).toContain('<a href="https://pu.example.go.id/jalan?id=1&amp;x=2"');
    expect(mail.html).toContain('>https://pu.example.go.id/jalan?id=1&amp;x=2</a>.');
    const question = await sendToOutbox(MAILS[2][1]('id', {}));
    expect(question.html).toContain('Sejak kapan &lt;b&gt;rusak&lt;/b&gt; &amp; berlubang?');
    expect(question.html).toMatch(/<blockquote[^>]*>Di RT\/RW berapa\?<br>\nSejak kapan/);
  });

  it('arrives at a real SMTP server as text and HTML with the same content', async () => {
    const smtp = await startSmtpServer();
    try {
      const sender = new EmailSender(loadConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'LAPOR! <no-reply@lapor.example.id>' }));
      const message = renderStatus(change({}, 'en'), 'email', { publicBaseUrl: BASE, smsNumber: '1708' });
      await sender.send('warga@example.com', { ...message, headers: { ...message.headers }, idempotencyKey: 'n-1' });
      const [{ mail, rcptTo }] = smtp.inbox;
      expect(rcptTo).toEqual(['warga@example.com']);
      expect(mail.subject).toBe(`[LAPOR!] Report ${ID.slice(0, 5)}-${ID.slice(5, 10)}-${ID.slice(10)}: Sent to the agency`);
      expect(mail.text?.trim()).toBe(message.body.trim());
      expect(htmlText(mail.html as string)).toBe(asRead(message.body));
      expect(mail.html).toContain(`<a href="https://lapor.example.id/lapor/cek?id=${ID}&amp;lang=en"`);
      expect(mail.headers.get('content-language')).toBe('en');
      expect(mail.messageId).toBe('<n-1@lapor.example.id>');
    } finally {
      await smtp.stop();
    }
  });

  it('keeps officials\' notices plain text (no Content-Language: they are not a reporter\'s message)', async () => {
    const mail = await sendToOutbox({ subject: 'Tugas baru', body: 'Yth. Petugas,\n\nAda laporan baru.' });
    expect(mail.html).toBe(false);
    expect(mail.text).toContain('Ada laporan baru.');
  });
});

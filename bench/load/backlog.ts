import { ComplaintInbound, ComplaintInboundPayload, EventHeaders, trackingIdFor } from '@lapor/contracts';
import type { BusRecord } from '@lapor/bus';

const STORIES = [
  { text: 'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan tidak diperbaiki', regionCode: '32.73' },
  { text: 'Sampah menumpuk di pasar Kelurahan Ketintang, Surabaya, tidak diangkut seminggu', regionCode: '35.78' },
  { text: 'Pelayanan KTP di Disdukcapil Kabupaten Malang sangat lambat, antre dari subuh', regionCode: '35.07' },
  { text: 'Perpanjangan paspor di kantor imigrasi ditolak tanpa alasan yang jelas' },
  { text: 'Lampu penerangan jalan mati di depan SMPN 2 Kota Bogor sejak bulan lalu', regionCode: '32.71' },
  { text: 'Tolong, ada pungli saat mengurus SIM di Polres, diminta uang tambahan' },
];

/** How many SMS the notifier is expected to send for a backlog, and to how many people. */
export interface Backlog {
  records: BusRecord[];
  /** Messages the notifier must send by SMS: one per complaint that has an SMS address. */
  smsExpected: number;
}

/**
 * Inbound complaints for the router's drain: 40 % web without a contact, 40 % web with a
 * phone from `phones` numbers (so each person gets several SMS, in order), 20 % SMS, each
 * from its own number (so none threads onto another as a follow-up).
 */
export function inboundBacklog(count: number, topic: string, phones = 1000): Backlog {
  const run = Date.now().toString(36);
  const records: BusRecord[] = [];
  let smsExpected = 0;
  for (let i = 0; i < count; i++) {
    const story = STORIES[i % STORIES.length];
    const kind = i % 5; // 0,1 web · 2,3 web with phone · 4 sms
    const channel = kind === 4 ? 'sms' : 'web';
    const channelMessageId = kind === 4 ? `SMbench${run}${i}` : `req:bench-${run}-${i}`;
    const trackingId = trackingIdFor(channel, channelMessageId);
    const phone = `+62813${String(i % phones).padStart(7, '0')}`;
    const payload: ComplaintInboundPayload = {
      trackingId,
      channel,
      channelMessageId,
      senderId: kind === 4 ? `+62815${String(i).padStart(7, '0')}` : channelMessageId,
      text: `${story.text} (#${i})`,
      location: story.regionCode ? { regionCode: story.regionCode } : undefined,
      attachments: [],
      receivedAt: new Date().toISOString(),
      locale: 'id',
      anonymous: false,
      confidential: false,
      reporter: kind === 2 || kind === 3 ? { phone } : undefined,
      replyTo: kind === 2 || kind === 3 ? [{ channel: 'sms', address: phone }] : [],
    };
    if (kind >= 2) smsExpected++;
    const envelope = ComplaintInbound.create(payload, { correlationId: trackingId });
    records.push({
      topic,
      key: ComplaintInbound.key(payload),
      value: JSON.stringify(envelope),
      headers: { [EventHeaders.type]: envelope.type, [EventHeaders.correlationId]: trackingId },
    });
  }
  return { records, smsExpected };
}

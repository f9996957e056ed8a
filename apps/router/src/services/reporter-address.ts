import type { Channel } from '@lapor/contracts';
import type { ComplaintEntity } from '../entities';

/**
 * A phone number as digits with the country code: "+62 812-3456", "0812 3456" and
 * "628123456" are one number (web forms take what people type; Twilio sends E.164).
 */
export function phoneKey(address: string): string {
  const digits = address.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}

function sameAddress(channel: string, a: string, b: string): boolean {
  return channel === 'sms' ? phoneKey(a) === phoneKey(b) : a === b;
}

/**
 * Whether a message or command from (channel, sender) comes from the complaint's own
 * reporter: the channel and sender it came in on, or a private reply address the reporter
 * gave (a web complaint with a phone number for SMS). Never a public reply address.
 */
export function isReporterOf(complaint: Pick<ComplaintEntity, 'channel' | 'senderId' | 'replyTo'>, channel: Channel, senderId: string): boolean {
  if (complaint.channel === channel && complaint.senderId === senderId) return true;
  return complaint.replyTo.some((r) => !r.publicReplyTo && r.channel === channel && sameAddress(channel, r.address, senderId));
}

/** The forms a private reply address of this sender may have been stored in (for a JSONB containment lookup). */
export function replyAddressForms(channel: Channel, senderId: string): string[] {
  if (channel !== 'sms') return [senderId];
  const key = phoneKey(senderId);
  return [...new Set([senderId, `+${key}`, key, `0${key.slice(2)}`])];
}

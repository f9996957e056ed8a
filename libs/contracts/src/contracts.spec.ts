import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComplaintInbound, ComplaintStatusChanged, jsonSchemaFiles, Topics, trackingIdFor } from './index';

describe('event contracts', () => {
  const inbound = {
    trackingId: trackingIdFor('sms', 'SM1'),
    channel: 'sms' as const,
    channelMessageId: 'SM1',
    senderId: '+6281234567890',
    text: 'Jalan rusak 🙏 di Desa Sukamaju',
    receivedAt: '2026-11-22T08:00:00.000Z',
  };

  it('should wrap a payload in an envelope that parses back to the same event', () => {
    const envelope = ComplaintInbound.create({ ...inbound, attachments: [], locale: 'id', anonymous: false, confidential: false, replyTo: [] }, { correlationId: inbound.trackingId });
    expect(envelope).toMatchObject({ type: 'complaint.inbound', schemaVersion: 1, correlationId: inbound.trackingId });
    expect(ComplaintInbound.parse(JSON.stringify(envelope))).toEqual(envelope);
  });

  it('should key inbound messages by sender and complaint events by complaint', () => {
    expect(ComplaintInbound.topic).toBe(Topics.complaintInbound);
    expect(ComplaintInbound.key({ ...inbound, attachments: [], locale: 'id', anonymous: false, confidential: false, replyTo: [] })).toBe('sms:+6281234567890');
    expect(ComplaintStatusChanged.key({ trackingId: 'T' } as never)).toBe('T');
  });

  it('should reject an envelope of another type or a payload missing its fields', () => {
    const envelope = ComplaintInbound.create({ ...inbound, attachments: [], locale: 'id', anonymous: false, confidential: false, replyTo: [] }, { correlationId: 'c' });
    expect(() => ComplaintStatusChanged.parse(JSON.stringify(envelope))).toThrow();
    expect(() => ComplaintInbound.parse(JSON.stringify({ ...envelope, payload: { text: 'x' } }))).toThrow();
    expect(() => ComplaintInbound.parse('not json')).toThrow();
  });

  it('should match the committed JSON Schema files (run `npm run contracts:json-schema` after a change)', () => {
    for (const [file, schema] of Object.entries(jsonSchemaFiles())) {
      const committed = JSON.parse(readFileSync(join(__dirname, '../../../docs/json-schema', file), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });
});

import { ComplaintStatus, ComplaintStatusChangedPayload, StatusReplyPayload, trackingIdFor } from '@lapor/contracts';
import { renderCommandReply, renderNotice, renderStatusReply } from '../../messages/replies.message';
import { renderStatus } from '../../messages/status.message';
import { smsSegments } from './sms-segments';

const ID = trackingIdFor('sms', 'SM-texts');
const LONG = 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kepulauan Siau Tagulandang Biaro';

function status(s: ComplaintStatus, previous: ComplaintStatus | null, name = LONG): ComplaintStatusChangedPayload {
  return {
    trackingId: ID, status: s, previousStatus: previous, sequence: 2, changedAt: new Date().toISOString(), channel: 'sms', senderId: '+628', replyTo: [], locale: 'id',
    assignment: s === 'triage' ? { kind: 'triage', code: '', name: 'Triase nasional' } : { kind: 'kabupaten', code: '71.09', name, unit: 'Bidang Bina Marga dan Jembatan' },
  };
}

/** Every SMS we send fits one GSM-7 segment and carries the tracking id where there is one. */
describe('SMS texts', () => {
  it('should count GSM-7 and UCS-2 segments as carriers do', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('[]'.repeat(40))).toMatchObject({ units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(70) + '').segments).toBe(1);
    expect(smsSegments('😀' + 'a'.repeat(68))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ꦥ'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('ꦥ'.repeat(135)).segments).toBe(3);
  });

  it('should fit status messages into one GSM-7 segment with the tracking id, even for long body names', () => {
    const cases = [status('assigned', 'received'), status('triage', 'received'), status('in_progress', 'assigned'), status('responded', 'in_progress'), status('closed', 'responded'), status('assigned', 'received', 'Kota Bandung'), status('assigned', 'received', 'Pemerintah Kabupaten Gunung Mas — Dinas Kesehatan “Puskesmas” Kuala Kurun…')];
    for (const p of cases) {
      const { body } = renderStatus(p, 'sms');
      expect(body).toContain(ID);
      expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  it('should fit replies and notices into one GSM-7 segment', () => {
    const reply = (result: StatusReplyPayload['result'], query = ID): StatusReplyPayload => ({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', locale: 'id', query, command: 'status', result });
    const bodies = [
      ...(['help', 'start', 'report', 'opt_out', 'opt_in'] as const).map((c) => renderCommandReply(c, 'sms').body),
      renderStatusReply(reply({ outcome: 'found', trackingId: ID, status: 'in_progress', assignment: { kind: 'kabupaten', code: '71.09', name: LONG, unit: 'Bidang Bina Marga' }, updatedAt: new Date().toISOString() }), 'sms').body,
      renderStatusReply(reply({ outcome: 'mistyped' }, 'X'.repeat(200)), 'sms').body,
      renderStatusReply(reply({ outcome: 'not_found' }, 'Y'.repeat(200)), 'sms').body,
      renderStatusReply(reply({ outcome: 'missing' }, ''), 'sms').body,
      renderNotice({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', notice: 'body_too_long', onceKey: 'k', limit: 1600, locale: 'id' }, 'sms').body,
      renderNotice({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', notice: 'rate_limited', onceKey: 'k', trackingId: ID, locale: 'id' }, 'sms').body,
    ];
    for (const body of bodies) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(bodies.at(-1)).toContain(ID);
    expect(bodies[5]).toContain(ID);
  });
});

import { XMLValidator } from 'fast-xml-parser';
import { xmlSimple } from '../../../../test/support/fixmystreet-open311-client';
import { open311Body } from './open311.format';

/** The XML answers stay well-formed whatever text they carry (FixMyStreet's XML::Simple gives up on the whole answer otherwise). */
describe('Open311 XML', () => {
  it.each([
    ['markup characters', 'Jalan <b>rusak</b> & "licin"', 'Jalan <b>rusak</b> & "licin"'],
    ['control characters an official typed', 'Sudah\u0001 ditambal\u001f.\u0007', 'Sudah ditambal.'],
    ['a lone surrogate', 'Tanggapan \uD83D selesai', 'Tanggapan  selesai'],
    ['an emoji (a surrogate pair)', 'Selesai 👍', 'Selesai 👍'],
  ])('should carry %s as well-formed XML', (_what, text, read) => {
    const { contentType, body } = open311Body('xml', 'service_requests', [{ service_request_id: 'X', status_notes: text }]);
    expect(contentType).toBe('text/xml; charset=utf-8');
    expect(XMLValidator.validate(body)).toBe(true);
    // The validator lets these through; XML::Simple (expat) does not.
    expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(xmlSimple(body)).toEqual({ request: [{ service_request_id: 'X', status_notes: read }] });
  });

  it('should nest lists under their group element and leave out absent fields', () => {
    const { body } = open311Body('xml', 'service_definition', { service_code: 'jalan-lokal', attributes: [{ code: 'anonim', values: [{ key: 'true', name: 'Ya' }], description: undefined }] });
    expect(body).toBe('<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>jalan-lokal</service_code><attributes><attribute><code>anonim</code><values><value><key>true</key><name>Ya</name></value></values></attribute></attributes></service_definition>');
  });
});

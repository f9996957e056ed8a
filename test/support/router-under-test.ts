import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { Actor, AgencyComplaintView, ComplaintAction, ComplaintInbound, newTrackingId } from '@lapor/contracts';
import { UnitClassifier } from '@lapor/routing';
import { AppConfig, EventPublisher } from '@lapor/runtime';
import { createRouterApp } from '../../apps/router/src/router.app';
import type { SeedInput } from './fake-router';
import { waitFor } from './wait-for';

const ADMIN: Actor = { kind: 'officer', officerId: 'test-admin', role: 'national-admin', displayName: 'Admin uji' };

const TEXTS: Record<string, { text: string; regionCode?: string }> = {
  '32.73': { text: 'Jalan berlubang besar di Jl. Braga Kota Bandung sudah sebulan, mohon segera diperbaiki', regionCode: '32.73' },
  '32.71': { text: 'Jalan berlubang besar di Jl. Pajajaran Kota Bogor sudah sebulan, mohon segera diperbaiki', regionCode: '32.71' },
  // "Bandung" alone is ambiguous (Kota or Kabupaten): routing leaves it to the national admin, with both as suggestions.
  triage: { text: 'Jalan rusak parah di Bandung, sudah lama tidak diperbaiki' },
};

/**
 * A level-2 model for Kota Bandung, trained here on a few dispositions, so the router makes
 * unit suggestions in the desk's tests as it does with a body's real model.
 */
export function trainTestUnitModel(dir: string): void {
  const units: Record<string, string[]> = {
    'Dinas Pekerjaan Umum': ['jalan berlubang', 'aspal jalan rusak', 'jalan retak', 'perbaikan jalan', 'jalan berlubang besar', 'trotoar rusak'],
    'Dinas Lingkungan Hidup': ['sampah menumpuk', 'sampah tidak diangkut', 'bau sampah', 'truk sampah', 'sampah liar', 'tempat sampah penuh'],
    'Dinas Perhubungan': ['lampu lalu lintas mati', 'parkir liar', 'angkot ngetem', 'rambu hilang', 'lampu merah rusak', 'macet parkir'],
  };
  const rows = Object.entries(units).flatMap(([label, texts]) => [0, 1, 2].flatMap((i) => texts.map((t) => ({ text: `${t} di RW ${i}`, label, location: { kecamatan: 'Sumur Bandung' } }))));
  UnitClassifier.train(rows, { seed: 1, name: 'test-32.73' }).save(join(dir, '32.73.model.json'));
}

/**
 * The real router (apps/router) in the test process, on the desk's database and bus: the
 * desk's tests run against the record's owner itself. Complaints are filed as inbound
 * events, as an intake service would, and moved along through the router's action API.
 */
export class RouterUnderTest {
  app!: INestApplication;
  url = '';

  async start(config: AppConfig, bus: EventBus): Promise<this> {
    this.app = await createRouterApp(config, { bus });
    await this.app.startAllMicroservices();
    await this.app.listen(0, '127.0.0.1');
    this.url = `http://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }

  /** Files a complaint like an intake service and waits until the router has routed it; then takes it to `input.status`. */
  async file(input: SeedInput = {}): Promise<AgencyComplaintView> {
    const where = input.body === 'triage' ? 'triage' : (input.body?.code ?? '32.73');
    const base = TEXTS[where] ?? { text: `Jalan berlubang besar, mohon segera diperbaiki`, regionCode: where };
    const trackingId = newTrackingId();
    const publisher = this.app.get(EventPublisher);
    await publisher.publish(
      publisher.event(
        ComplaintInbound,
        {
          trackingId,
          channel: 'web',
          channelMessageId: randomUUID(),
          senderId: `web:${randomUUID()}`,
          text: input.text ?? base.text,
          ...(base.regionCode ? { location: { regionCode: base.regionCode } } : {}),
          attachments: input.attachments ?? [],
          receivedAt: new Date().toISOString(),
          locale: 'id',
          anonymous: input.anonymous ?? false,
          confidential: input.confidential ?? false,
          ...(input.reporter ? { reporter: { name: input.reporter.name, email: input.reporter.email, phone: input.reporter.phone } } : {}),
          replyTo: input.reporter?.email ? [{ channel: 'email', address: input.reporter.email }] : [],
        },
        trackingId,
      ),
    );
    let view = await waitFor(() => this.view(trackingId), { what: `the router to register ${trackingId}` });
    const path: ComplaintAction[] =
      input.status === 'accepted' ? [{ action: 'accept' }]
      : input.status === 'disposed' ? [{ action: 'accept' }, { action: 'dispose', unit: input.unit ?? 'Dinas Pekerjaan Umum' }]
      : input.status === 'responded' ? [{ action: 'accept' }, { action: 'respond', response: 'Sudah ditangani.' }]
      : [];
    for (const action of path) view = await this.apply(trackingId, action, ADMIN);
    return view;
  }

  async view(trackingId: string): Promise<AgencyComplaintView | undefined> {
    const res = await fetch(`${this.url}/internal/v1/agency/complaints/${trackingId}`);
    return res.ok ? ((await res.json()) as AgencyComplaintView) : undefined;
  }

  async apply(trackingId: string, action: ComplaintAction, actor: Actor = ADMIN): Promise<AgencyComplaintView> {
    const res = await fetch(`${this.url}/internal/v1/complaints/${trackingId}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (!res.ok) throw new Error(`router refused ${action.action} on ${trackingId}: ${res.status} ${await res.text()}`);
    return (await res.json()) as AgencyComplaintView;
  }

  /** What the reporter does from their channel (answer a question, object): the router applies it as theirs. */
  reporterAction(trackingId: string, action: ComplaintAction): Promise<AgencyComplaintView> {
    return this.apply(trackingId, action, { kind: 'reporter' });
  }
}

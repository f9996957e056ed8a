import { z } from 'zod';
import { DeadlineStage } from '../lifecycle';

/**
 * A fast lane (jalur cepat): SP4N-LAPOR!'s COVID-19 SOP, generalised. During the pandemic
 * complaints about it went straight to BNPB, Kemenkes, KSP and others besides the
 * responsible body; here the national admin declares such a lane at runtime (desk API
 * `/desk/v1/fast-lanes`, console `/desk/jalur-cepat`), audited, switched on and off without a
 * deploy. A matching complaint is marked priority, shows first in queues, gets the lane's
 * shorter deadlines, and a read-only copy reaches each coordinating body's desk.
 * See docs/fast-lanes.md.
 */

const Word = z.string().trim().min(2).max(100);

/** A region prefix: a province ("33") or a kota/kabupaten ("33.74") Kemendagri code; matches that region and everything inside it. */
export const FastLaneRegion = z.string().trim().regex(/^\d{2}(\.\d{2}){0,3}$/, 'kode wilayah Kemendagri, mis. 33 atau 33.74');

/**
 * What a complaint must have to enter the lane. Every given criterion must hold (AND); inside
 * one criterion any entry suffices (OR). At least keywords or labels: a lane without either
 * would catch every complaint of its regions.
 */
export const FastLaneRules = z
  .object({
    /** Words or phrases, any of which in the complaint text (case- and accent-insensitive, whole words). */
    keywords: z.array(Word).max(50).default([]),
    /** Level-2 labels (the unit routing chose or suggested, e.g. "Dinas Kesehatan"), any of which. */
    labels: z.array(Word).max(50).default([]),
    /** Where the complaint is (the routed body or the place named), any of these region prefixes; empty = anywhere. */
    regions: z.array(FastLaneRegion).max(100).default([]),
    /** Complaints received from (inclusive) … until (exclusive); open-ended when absent. */
    from: z.string().datetime({ offset: true }).optional(),
    until: z.string().datetime({ offset: true }).optional(),
  })
  .refine((r) => r.keywords.length > 0 || r.labels.length > 0, { message: 'Isi kata kunci atau label unit (minimal satu)', path: ['keywords'] })
  .refine((r) => !r.from || !r.until || new Date(r.from) < new Date(r.until), { message: '"until" harus setelah "from"', path: ['until'] });
export type FastLaneRules = z.infer<typeof FastLaneRules>;

/**
 * A stage's deadline in the lane, replacing the deadline policy's for stages that start
 * after the complaint entered the lane: working days (the body's calendar) or hours
 * (wall-clock, for emergencies that do not wait for Monday). Exactly one of them.
 */
export const FastLaneDeadline = z
  .object({ workingDays: z.number().int().positive().max(60).optional(), hours: z.number().int().positive().max(24 * 60).optional() })
  .refine((d) => (d.workingDays === undefined) !== (d.hours === undefined), { message: 'Isi salah satu: workingDays atau hours' });
export type FastLaneDeadline = z.infer<typeof FastLaneDeadline>;

export const FastLaneDeadlines = z.partialRecord(DeadlineStage, FastLaneDeadline);
export type FastLaneDeadlines = z.infer<typeof FastLaneDeadlines>;

/** Slug of the lane (stable id for people and the deadline policy's per-lane entries). */
export const FastLaneSlug = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'huruf kecil, angka dan tanda hubung (mis. banjir-jateng-2026)');

/** `POST /desk/v1/fast-lanes` and `PUT /desk/v1/fast-lanes/{laneId}` (the whole lane; `active` switches it). */
export const FastLaneInput = z.object({
  slug: FastLaneSlug,
  name: z.string().trim().min(3).max(200),
  /** Why the lane exists (the decree or the emergency), for the audit and the coordinating bodies. */
  description: z.string().trim().max(2000).optional(),
  active: z.boolean().default(true),
  rules: FastLaneRules,
  deadlines: FastLaneDeadlines.default({}),
  /** Bodies that get a read-only copy (agency slugs such as bnpb, kemenkes, ksp, or region codes), besides the responsible body. */
  coordinatingBodies: z.array(z.string().trim().min(1).max(80)).max(20).default([]),
});
export type FastLaneInput = z.infer<typeof FastLaneInput>;

export const FastLaneView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  rules: FastLaneRules,
  deadlines: FastLaneDeadlines,
  coordinatingBodies: z.array(z.object({ code: z.string(), name: z.string() })),
  /** Bumped by every change (the audit entries name the version). */
  version: z.number().int().positive(),
  createdAt: z.string().datetime({ offset: true }),
  createdBy: z.string(),
  updatedAt: z.string().datetime({ offset: true }),
  updatedBy: z.string(),
});
export type FastLaneView = z.infer<typeof FastLaneView>;

import { z } from 'zod';

/**
 * Complaint statuses: stable lower-case identifiers (the API contract) with the
 * Bahasa Indonesia label shown to citizens and officers.
 */
export const COMPLAINT_STATUS_LABELS = {
  received: 'Diterima',
  triage: 'Menunggu verifikasi admin',
  assigned: 'Diteruskan ke instansi',
  in_progress: 'Sedang ditindaklanjuti',
  resolved: 'Selesai',
  closed: 'Ditutup',
} as const;

export const ComplaintStatus = z.enum(
  Object.keys(COMPLAINT_STATUS_LABELS) as [keyof typeof COMPLAINT_STATUS_LABELS, ...(keyof typeof COMPLAINT_STATUS_LABELS)[]],
);
export type ComplaintStatus = z.infer<typeof ComplaintStatus>;

export function statusLabel(status: ComplaintStatus): string {
  return COMPLAINT_STATUS_LABELS[status];
}

import type { HttpException } from '@nestjs/common';

/** The reason an HttpException carries, as one line (for pages and CLI output). */
export function messageOf(error: HttpException): string {
  const r = error.getResponse() as string | { message?: string | string[] };
  return typeof r === 'string' ? r : Array.isArray(r.message) ? r.message.join('; ') : (r.message ?? error.message);
}

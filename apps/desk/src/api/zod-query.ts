import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** Validates query parameters with a contract schema: 400 with a reason per parameter. */
export class ZodQuery<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) (fields[issue.path.join('.') || '(query)'] ??= []).push(issue.message);
    throw new BadRequestException({ message: 'Parameter tidak valid (invalid query parameters)', fields });
  }
}

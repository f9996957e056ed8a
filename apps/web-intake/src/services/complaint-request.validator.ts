import { Injectable } from '@nestjs/common';
import { CreateComplaintRequest, RegionCode } from '@lapor/contracts';
import { Locale, translate, validationFields, validationMessages } from '@lapor/i18n';
import { RegionDirectory } from './region-directory';

export type ValidatedComplaint = { ok: true; data: CreateComplaintRequest } | { ok: false; fields: Record<string, string[]> };

/**
 * The one check of a complaint from the API and the form: the contract's schema (its messages
 * are catalogue keys, said here in the request's language) and, for a well-formed `regionCode`,
 * whether that region exists in the reference data.
 */
@Injectable()
export class ComplaintRequestValidator {
  constructor(private readonly regions: RegionDirectory) {}

  validate(raw: unknown, locale: Locale): ValidatedComplaint {
    // reportInput: a missing field reads "required", a field of the wrong type "must be text".
    const parsed = CreateComplaintRequest.safeParse(raw, { reportInput: true });
    const fields = parsed.success ? {} : validationFields(parsed.error, locale);
    const code = RegionCode.safeParse((raw as { regionCode?: unknown } | null)?.regionCode);
    const unknownRegion = code.success ? this.unknownRegion(code.data, locale) : undefined;
    if (unknownRegion) fields.regionCode = [unknownRegion];
    if (parsed.success && !unknownRegion) return { ok: true, data: parsed.data };
    return { ok: false, fields };
  }

  /** Why a well-formed code is not a region, with where the codes under its parent are listed. */
  private unknownRegion(code: string, locale: Locale): string | undefined {
    const check = this.regions.check(code);
    if (check.ok) return undefined;
    const parentCode = check.code.split('.').slice(0, -1).join('.');
    return translate(validationMessages, check.key, locale, {
      code: check.code,
      parent: check.parent?.name ?? parentCode,
      listUrl: parentCode ? `/api/v1/regions/${parentCode}` : '/api/v1/regions',
    });
  }
}

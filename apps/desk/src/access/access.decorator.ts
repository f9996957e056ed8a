import { SetMetadata } from '@nestjs/common';
import type { OfficerRole } from '@lapor/contracts';

export const ACCESS_KEY = 'lapor-desk-access';

/**
 * How a desk route is reached. Every desk route has one (a controller default, a handler
 * override); the guard refuses a route without it, so nothing is open by omission.
 * - `public`: no credentials (login page, the OpenAPI document).
 * - `roles`: officers' roles allowed (others get 403; the national admin is never implied).
 * - `tokens`: whether a body's API token may call it (API routes only).
 * - `complaint`: the route has `:trackingId`; the guard resolves it through ScopeService (404 outside scope).
 * - `passwordChange`: reachable while the official must still change a one-time password.
 * - `copies`: with `complaint`, a coordinating body's fast-lane copy may be read here; on every
 *   other complaint route the copy holder is refused with 403 (docs/fast-lanes.md).
 */
export interface AccessRule {
  public?: boolean;
  roles?: OfficerRole[];
  tokens?: boolean;
  complaint?: boolean;
  passwordChange?: boolean;
  copies?: boolean;
}

export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);

export const ALL_ROLES: OfficerRole[] = ['national-admin', 'liaison', 'officer'];
export const MANAGERS: OfficerRole[] = ['national-admin', 'liaison'];

/** Which surface a controller serves: pages answer with HTML and redirect to the login form; the API with JSON. */
export const SURFACE_KEY = 'lapor-desk-surface';
export type Surface = 'page' | 'api';
export const Surface = (surface: Surface) => SetMetadata(SURFACE_KEY, surface);

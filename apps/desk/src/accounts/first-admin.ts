import { Injectable } from '@nestjs/common';
import { OfficersService } from './officers.service';

export const FIRST_ADMIN_EMAIL = 'admin@lapor.local';

/**
 * `npm start` on an empty store: a national admin with a one-time password, so a newcomer
 * reaches the console in one step (the password must be changed at first login).
 */
@Injectable()
export class FirstAdmin {
  constructor(private readonly officers: OfficersService) {}

  async ensure(): Promise<{ email: string; oneTimePassword: string } | null> {
    if ((await this.officers.list()).length > 0) return null;
    const { officer, oneTimePassword } = await this.officers.create({ email: FIRST_ADMIN_EMAIL, role: 'national-admin', displayName: 'Admin nasional' }, { kind: 'system', label: 'npm start (first start)' });
    return { email: officer.email, oneTimePassword };
  }
}

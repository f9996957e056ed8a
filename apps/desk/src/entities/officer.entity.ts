import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OfficerRole } from '@lapor/contracts';

/** An official: national admin, a body's liaison or a unit's officer. */
@Entity('desk_officers')
export class OfficerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: OfficerRole;

  /** Region code or agency slug; null only for the national admin. */
  @Column({ name: 'body_code', type: 'varchar', length: 80, nullable: true })
  bodyCode!: string | null;

  @Column({ name: 'body_name', type: 'varchar', length: 300, nullable: true })
  bodyName!: string | null;

  /** The officer's unit (role officer); complaints disposed to it are theirs. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  unit!: string | null;

  /** Argon2id (PHC string). */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ name: 'must_change_password', type: 'boolean', default: true })
  mustChangePassword!: boolean;

  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}

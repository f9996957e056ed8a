import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A console login. The cookie holds a random id; only its SHA-256 is stored. */
@Entity('desk_sessions')
export class SessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64 })
  idHash!: string;

  @Column({ name: 'officer_id', type: 'uuid' })
  officerId!: string;

  /** Every console form and cookie-authenticated API write must carry it. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

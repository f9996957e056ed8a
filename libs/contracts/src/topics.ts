/**
 * Topic, consumer-group and dead-letter names: defined here once.
 * Naming: lapor.<entity>.<event>.v<major>; a breaking schema change gets a new topic.
 */
export const Topics = {
  complaintInbound: 'lapor.complaint.inbound.v1',
  complaintRegistered: 'lapor.complaint.registered.v1',
  complaintStatusChanged: 'lapor.complaint.status-changed.v1',
  channelCommand: 'lapor.channel.command.v1',
  statusReply: 'lapor.complaint.status-reply.v1',
  deliveryStatus: 'lapor.notification.delivery-status.v1',
  channelNotice: 'lapor.channel.notice.v1',
  agencyNotice: 'lapor.agency.notice.v1',
  /** The reporter forwarded a complaint to Ombudsman RI (issue 10): the notifier delivers it to the Ombudsman's intake. */
  complaintEscalated: 'lapor.complaint.escalated.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Every replica of one service shares its group, so Kafka splits the partitions among them. */
export const ConsumerGroups = {
  router: 'lapor-router',
  notifier: 'lapor-notifier',
  desk: 'lapor-desk',
} as const;
export type ConsumerGroup = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

/**
 * Who writes and who reads each topic, per deployable service. Kafka's access rules (one
 * KafkaUser with ACLs per service, k8s/base/kafka/users.generated.yaml) are generated from this,
 * and a test checks it against what each app's code publishes and consumes. A consumer also
 * writes the dead-letter topic of everything it consumes.
 */
export const ServiceTopics: Record<string, { produces: Topic[]; consumes?: { group: ConsumerGroup; topics: Topic[] } }> = {
  'web-intake': { produces: [Topics.complaintInbound] },
  'sms-intake': { produces: [Topics.complaintInbound, Topics.channelCommand, Topics.channelNotice, Topics.deliveryStatus] },
  'social-intake': { produces: [Topics.complaintInbound, Topics.channelCommand, Topics.deliveryStatus] },
  router: {
    produces: [Topics.complaintRegistered, Topics.complaintStatusChanged, Topics.statusReply, Topics.channelNotice, Topics.complaintEscalated],
    consumes: { group: ConsumerGroups.router, topics: [Topics.complaintInbound, Topics.channelCommand] },
  },
  notifier: {
    produces: [],
    consumes: {
      group: ConsumerGroups.notifier,
      topics: [Topics.complaintStatusChanged, Topics.channelCommand, Topics.statusReply, Topics.channelNotice, Topics.deliveryStatus, Topics.agencyNotice, Topics.complaintEscalated],
    },
  },
  desk: {
    produces: [Topics.agencyNotice],
    consumes: { group: ConsumerGroups.desk, topics: [Topics.complaintRegistered, Topics.complaintStatusChanged] },
  },
};

export const DEAD_LETTER_SUFFIX = '.dlq';

/**
 * Where a consumer puts a record it cannot handle (it fails its schema, or its handler kept
 * failing after bounded retries), so it never blocks its partition. `npm run bus -- dlq ...`
 * lists and replays them.
 */
export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Headers every published event carries. */
export const EventHeaders = {
  type: 'x-event-type',
  /** The envelope's correlationId, so logs can name a record without parsing it. */
  correlationId: 'x-correlation-id',
} as const;

/** Headers a dead letter carries besides the original record's own headers, key and value. */
export const DeadLetterHeaders = {
  /** The error message (at most 2,000 characters). */
  reason: 'x-dlq-reason',
  /** The error's class, e.g. QueryFailedError, or UnprocessableRecordError for a record that fails its schema. */
  error: 'x-dlq-error',
  /** How many times the handler was tried. */
  attempts: 'x-dlq-attempts',
  group: 'x-dlq-group',
  /** Where the record was: topic, partition and offset. */
  topic: 'x-dlq-topic',
  partition: 'x-dlq-partition',
  offset: 'x-dlq-offset',
  /** When it was dead-lettered (ISO 8601). */
  at: 'x-dlq-at',
} as const;

/** Headers of a record re-published from a dead-letter topic by `npm run bus -- dlq replay`. */
export const ReplayHeaders = {
  /** `<dead-letter topic>/<partition>:<offset>` of the dead letter it came from. */
  from: 'x-replayed-from',
  at: 'x-replayed-at',
} as const;

export const ALL_TOPICS: string[] = [
  ...Object.values(Topics),
  ...Object.values(Topics).map(deadLetterTopic),
];

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
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Every replica of one service shares its group, so Kafka splits the partitions among them. */
export const ConsumerGroups = {
  router: 'lapor-router',
  notifier: 'lapor-notifier',
  desk: 'lapor-desk',
} as const;
export type ConsumerGroup = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

/** Where a consumer puts a message it cannot parse, with the reason, so it never blocks its partition. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export const ALL_TOPICS: string[] = [
  ...Object.values(Topics),
  ...Object.values(Topics).map(deadLetterTopic),
];

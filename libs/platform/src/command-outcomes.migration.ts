import { sqlMigration } from '@privatelink/eventstore';

/**
 * What an owner answered each command it carried out. A command delivered again with the same id (a
 * reconciler re-sending a step whose answer was lost, a redelivery) is answered again from here, never
 * carried out again: the owner acts once, and the sender still hears what it decided.
 */
export const CreateCommandOutcomes1765000000000 = sqlMigration('CreateCommandOutcomes1765000000000', {
  up: [
    `
      CREATE TABLE msg_command_outcomes (
        consumer_group  text        NOT NULL,
        command_id      text        NOT NULL,
        outcome         jsonb       NOT NULL,
        decided_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, command_id)
      )`,
  ],
  down: ['DROP TABLE msg_command_outcomes'],
});

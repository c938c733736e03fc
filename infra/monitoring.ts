import { feedbackDeadLetters, feedbackHandler } from './email';
import { linkCheckDeadLetters } from './link-check';
import { mailer, mailerDeadLetters, mailSweep } from './mailer';
import { newsletterDeadLetters, newsletterSender } from './newsletter';
import { sendDue, sendDueDeadLetters } from './scheduler';
import { operatorEmail } from './secrets';

/**
 * What wakes the operator: every alarm below goes to one SNS topic that emails the OperatorEmail
 * secret (AWS sends a confirmation link to click once). docs/operating.md says what each alarm
 * watches and what to do.
 */
export const alarms = new sst.aws.SnsTopic('OperatorAlarms');

new aws.sns.TopicSubscription('OperatorAlarmsEmail', { topic: alarms.arn, protocol: 'email', endpoint: operatorEmail.value });

/** The namespace functions/observability.ts writes its EMF metrics to. */
const APP_NAMESPACE = 'optout-countdown';

const notify = { alarmActions: [alarms.arn], okActions: [alarms.arn] };

/**
 * Alarms as soon as a dead-letter queue holds a message: each one is a run, an event or an
 * email that failed after every retry. Exported so that another queue (the mailer's) joins in
 * one line: `alarmOnQueue('Mailer', mailerDeadLetters)`.
 */
export function alarmOnQueue(name: string, queue: sst.aws.Queue): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(`${name}DeadLettersAlarm`, {
    alarmDescription: `${name}: the dead-letter queue is not empty. Read the messages, fix the cause, redrive or delete them.`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: queue.nodes.queue.name },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    // SQS reports every 5 minutes while the queue exists; no data means nothing is waiting.
    treatMissingData: 'notBreaching',
    ...notify,
  });
}

/** Alarms when a function throws (or times out) in a 5-minute period. Exported for the mailer too. */
export function alarmOnFunctionErrors(name: string, functionName: $util.Input<string>): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(`${name}ErrorsAlarm`, {
    alarmDescription: `${name}: the function failed. Its log group has the error line (error name and code, never an address).`,
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: functionName },
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    ...notify,
  });
}

alarmOnQueue('SendDue', sendDueDeadLetters);
alarmOnQueue('EmailFeedback', feedbackDeadLetters);
alarmOnQueue('LinkCheck', linkCheckDeadLetters);
alarmOnQueue('Mailer', mailerDeadLetters);
alarmOnQueue('Newsletter', newsletterDeadLetters);

const sendDueName = sendDue.nodes.function.apply((fn) => fn.name);
alarmOnFunctionErrors('SendDue', sendDueName);
alarmOnFunctionErrors('Mailer', mailer.nodes.function.apply((fn) => fn.name));
alarmOnFunctionErrors('EmailFeedback', feedbackHandler.apply((subscriber) => subscriber.nodes.function.apply((fn) => fn.name)));
alarmOnFunctionErrors('Newsletter', newsletterSender.name);
alarmOnFunctionErrors('MailSweep', mailSweep.nodes.function.apply((fn) => fn.name));

// The schedule runs send-due every 15 minutes: an hour without one means reminders stopped.
new aws.cloudwatch.MetricAlarm('SendDueSilentAlarm', {
  alarmDescription: 'send-due has not run for an hour: check the SendDue schedule and the function.',
  namespace: 'AWS/Lambda',
  metricName: 'Invocations',
  dimensions: { FunctionName: sendDueName },
  statistic: 'Sum',
  period: 3600,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: 'LessThanThreshold',
  // Lambda reports nothing at all for a function that was not invoked: silence is the failure.
  treatMissingData: 'breaching',
  ...notify,
});

/**
 * SES's own reputation metrics (the rates its review looks at, over the account's recent
 * sending), averaged over a day, alarmed below SES's review thresholds of 5 % and 0.1 %.
 */
const reputation = (id: string, metricName: string, threshold: number, words: string) =>
  new aws.cloudwatch.MetricAlarm(id, {
    alarmDescription: `${words} SES puts the account under review at ${metricName === 'Reputation.BounceRate' ? '5 %' : '0.1 %'}. Look at /admin (bounces and complaints) and at what was sent last.`,
    namespace: 'AWS/SES',
    metricName,
    statistic: 'Average',
    period: 86_400,
    evaluationPeriods: 1,
    threshold,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    // SES publishes these only while the account sends: a quiet day is not a bad one.
    treatMissingData: 'notBreaching',
    ...notify,
  });
reputation('BounceRateAlarm', 'Reputation.BounceRate', 0.04, 'The bounce rate is at 4 % or more over a day.');
reputation('ComplaintRateAlarm', 'Reputation.ComplaintRate', 0.0008, 'The complaint rate is at 0.08 % or more over a day.');

// The weekly link check writes BrokenLinks (0 when all is well); one broken link is worth a look.
new aws.cloudwatch.MetricAlarm('BrokenCampaignLinkAlarm', {
  alarmDescription: 'A campaign link (objection form or setting) is broken: /admin lists which; fix templates/campaigns/ and deploy.',
  namespace: APP_NAMESPACE,
  metricName: 'BrokenLinks',
  dimensions: { service: 'check-links' },
  statistic: 'Maximum',
  period: 86_400,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  // One data point a week: between runs, keep the last verdict rather than going green.
  treatMissingData: 'ignore',
  ...notify,
});

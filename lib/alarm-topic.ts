import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * The SNS topic every alarm notifies, built into the monitoring construct (its ids, `TopicKey`
 * and `AlarmTopic`, are the deployed stack's). Encrypted with a customer managed key rather than the AWS managed aws/sns: CloudWatch must
 * be allowed to use the key to publish, and aws/sns's key policy cannot be changed, so
 * alarms sent to a topic under aws/sns are silently never delivered.
 */
export function alarmTopic(scope: Construct): Topic {
  const stack = Stack.of(scope);
  // Deleted with the stack, whatever destroyOnRemoval says: it protects only messages in
  // flight, and a retained key would go on costing money and protect nothing.
  const key = new Key(scope, 'TopicKey', {
    description: `${stack.stackName}: encrypts the alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  // As the SNS guide's "compatibility with AWS services" policy: CloudWatch uses the key only
  // while publishing, which the topic policy below confines to this account's alarms.
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: `${stack.stackName} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  // enforceSSL gives the topic a policy of its own, which replaces SNS's default one; without
  // this statement CloudWatch may not publish to it at all.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return topic;
}
